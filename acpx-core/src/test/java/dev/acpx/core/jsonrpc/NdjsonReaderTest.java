package dev.acpx.core.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NdjsonReaderTest {

    private static NdjsonReader reader(String text, int max) {
        return new NdjsonReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }

    @Test
    void splitsLinesAndHandlesCrlfEmptyLinesAndAFinalLineWithoutNewline() throws IOException {
        NdjsonReader r = reader("one\r\n\ntwo\nthree", 100);
        assertEquals(new NdjsonReader.Line.Text("one"), r.next());
        assertEquals(new NdjsonReader.Line.Text(""), r.next());
        assertEquals(new NdjsonReader.Line.Text("two"), r.next());
        assertEquals(new NdjsonReader.Line.Text("three"), r.next());
        assertNull(r.next());
        assertNull(r.next());
    }

    @Test
    void aLineExactlyAtTheLimitIsKeptOneByteMoreIsOversized() throws IOException {
        NdjsonReader r = reader("abcd\nabcde\nok\n", 4);
        assertEquals(new NdjsonReader.Line.Text("abcd"), r.next());
        assertEquals(new NdjsonReader.Line.Oversized(5), r.next());
        assertEquals(new NdjsonReader.Line.Text("ok"), r.next());
        assertNull(r.next());
    }

    @Test
    void multiByteCharactersAreDecodedAcrossBufferBoundaries() throws IOException {
        String text = "é".repeat(10_000) + "€\n";
        NdjsonReader r = reader(text, 1 << 20);
        assertEquals(new NdjsonReader.Line.Text(text.strip()), r.next());
    }

    @Test
    void invalidUtf8IsReplacedNotThrown() throws IOException {
        byte[] bytes = {'a', (byte) 0xff, (byte) 0xc3, 'b', '\n'};
        NdjsonReader r = new NdjsonReader(new ByteArrayInputStream(bytes), 100);
        assertEquals(new NdjsonReader.Line.Text("a\uFFFD\uFFFDb"), r.next());
    }

    @Test
    void aHugeLineIsSkippedWithBoundedAllocation() throws IOException {
        long huge = 64L << 20; // 64 MiB, generated on the fly, never held by the test
        InputStream in = new GeneratedLine(huge, "{\"after\":true}\n");
        NdjsonReader r = new NdjsonReader(in, 1 << 20);
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        NdjsonReader.Line first = r.next();
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertEquals(new NdjsonReader.Line.Oversized(huge), first);
        assertEquals(new NdjsonReader.Line.Text("{\"after\":true}"), r.next());
        assertTrue(allocated < 8L << 20, "skipping a 64 MiB line allocated " + allocated + " bytes");
    }

    /** A stream of {@code size} 'x' bytes, a newline, then a tail; produced lazily. */
    static final class GeneratedLine extends InputStream {
        private final long size;
        private final byte[] tail;
        private long produced;
        private int tailPos = -1;

        GeneratedLine(long size, String tail) {
            this.size = size;
            this.tail = ("\n" + tail).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced < size) {
                int n = (int) Math.min(len, size - produced);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                produced += n;
                return n;
            }
            if (tailPos < 0) {
                tailPos = 0;
            }
            if (tailPos >= tail.length) {
                return -1;
            }
            int n = Math.min(len, tail.length - tailPos);
            System.arraycopy(tail, tailPos, b, off, n);
            tailPos += n;
            return n;
        }
    }
}
