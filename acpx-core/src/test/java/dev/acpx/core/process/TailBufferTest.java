package dev.acpx.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailBufferTest {

    private static void write(TailBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.write(bytes, 0, bytes.length);
    }

    @Test
    void keepsEverythingUnderCapacity() {
        TailBuffer b = new TailBuffer(10);
        write(b, "abc");
        write(b, "def");
        assertEquals("abcdef", b.text());
        assertFalse(b.truncated());
    }

    @Test
    void keepsTheLastBytesAcrossManySmallWrites() {
        TailBuffer b = new TailBuffer(5);
        for (char c = 'a'; c <= 'z'; c++) {
            write(b, String.valueOf(c));
        }
        assertEquals("vwxyz", b.text());
        assertTrue(b.truncated());
        assertEquals(26, b.totalBytes());
    }

    @Test
    void oneBigWriteKeepsItsEnd() {
        TailBuffer b = new TailBuffer(4);
        write(b, "0123456789");
        assertEquals("6789", b.text());
        assertTrue(b.truncated());
    }

    @Test
    void growsBeyondItsInitialArray() {
        TailBuffer b = new TailBuffer(100_000);
        String chunk = "x".repeat(3000);
        for (int i = 0; i < 10; i++) {
            write(b, chunk);
        }
        assertEquals(30_000, b.text().length());
        assertFalse(b.truncated());
    }

    @Test
    void truncatedTextStartsAtACharacterBoundary() {
        TailBuffer b = new TailBuffer(5);
        write(b, "ééé"); // 6 bytes: the first kept byte is the second half of the first é
        assertEquals("éé", b.text());
    }

    @Test
    void zeroCapacityKeepsNothing() {
        TailBuffer b = new TailBuffer(0);
        write(b, "abc");
        assertEquals("", b.text());
        assertTrue(b.truncated());
    }
}
