package dev.acpx.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import org.junit.jupiter.api.Test;

class WatchCursorTest {
    /** Written by the Node acpx 0.19.1 for event 1 of record aebe617a-… (sessions watch --format json). */
    private static final String NODE_CURSOR = "WyJhZWJlNjE3YS1jNGQxLTRiMTgtODczMC1jZTgyMDQwMmI1MjMiLDFd";
    private static final String RECORD = "aebe617a-c4d1-4b18-8730-ce820402b523";

    @Test
    void encodesAsTheNodeAcpx() {
        assertEquals(NODE_CURSOR, WatchCursor.encode(RECORD, 1));
        assertEquals(1, WatchCursor.parse(RECORD, NODE_CURSOR));
        assertEquals(42, WatchCursor.parse("x", WatchCursor.encode("x", 42)));
    }

    @Test
    void refusesMalformedAndNonCanonicalCursors() {
        for (String bad : new String[] {"bad", "", NODE_CURSOR + "=", "WyJ4IiwtMV0", "WyJ4IiwiMSJd", "eyJhIjoxfQ",
                "WyJ4IiwgMV0" /* ["x", 1] with a space: not what encoding gives */}) {
            AcpxException e = assertThrows(AcpxException.class, () -> WatchCursor.parse("x", bad), bad);
            assertEquals(ErrorKind.USAGE, e.kind());
            assertEquals("WATCH_CURSOR_INVALID", e.detail(), bad);
            assertEquals("Invalid session watch cursor", e.getMessage());
        }
        AcpxException foreign = assertThrows(AcpxException.class, () -> WatchCursor.parse("other", NODE_CURSOR));
        assertEquals("WATCH_CURSOR_FOREIGN", foreign.detail());
    }
}
