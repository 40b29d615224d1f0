package dev.acpx.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.SessionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRotationTest {
    @TempDir
    Path tmp;

    @Test
    void rotatesAtMaxSegmentBytesKeepingMaxSegments() throws Exception {
        JournalFixture f = new JournalFixture(tmp, 2000L, 3);
        JournalWriter w = f.writer();
        for (int t = 0; t < 20; t++) {
            JournalFixture.turn(w, "req-" + t, t, 5);
        }
        w.close();
        JournalFiles files = f.files();
        assertTrue(Files.exists(files.segment(1)));
        assertTrue(Files.exists(files.segment(3)));
        assertFalse(Files.exists(files.segment(4)), "max_segments 3 keeps three rotated segments");
        for (Path p : List.of(files.active(), files.segment(1), files.segment(2), files.segment(3))) {
            assertTrue(Files.size(p) <= 2000 + 400, p + " is " + Files.size(p) + " bytes");
            assertTrue(Files.readAllLines(p).get(0).contains("\"type\":\"segment\""), p + " starts with its anchor");
        }
        assertEquals(3, f.store.load("rec-1").orElseThrow().json().path("event_log").path("segment_count").asInt());

        JournalReader.Snapshot snap = f.reader().read(-1, Long.MAX_VALUE);
        long total = 20 * 9;
        assertEquals(total, snap.sequence());
        List<JournalEvent> events = snap.events();
        assertEquals(snap.firstSequence() + 1, events.get(0).sequence());
        assertEquals(total, events.get(events.size() - 1).sequence());
        for (int i = 1; i < events.size(); i++) {
            assertEquals(events.get(i - 1).sequence() + 1, events.get(i).sequence());
        }
        assertEquals(20 * 7, snap.messageSequence());
    }

    @Test
    void cursorsResumeStrictlyAfterTheirEventAndExpireWithRotation() throws Exception {
        JournalFixture f = new JournalFixture(tmp, 2000L, 2);
        SessionJournals journals = new SessionJournals(f.acpxHome, f.store, f.mapper);
        JournalWriter w = f.writer();
        JournalFixture.turn(w, "req-0", 0, 2);
        List<SessionEvent> first = journals.read("rec-1", null);
        assertEquals(6, first.size());
        String third = first.get(2).cursor();
        List<SessionEvent> rest = journals.read("rec-1", third);
        assertEquals(first.subList(3, 6), rest);
        assertEquals(List.of(), journals.read("rec-1", first.get(5).cursor()));

        AcpxException future = assertThrows(AcpxException.class,
                () -> journals.read("rec-1", WatchCursor.encode("rec-1", 999)));
        assertEquals(ErrorKind.USAGE, future.kind());
        assertEquals("WATCH_CURSOR_FUTURE", future.detail());
        assertEquals("Cursor is beyond the available session journal", future.getMessage());

        for (int t = 1; t < 30; t++) {
            JournalFixture.turn(w, "req-" + t, t, 5);
        }
        w.close();
        AcpxException expired = assertThrows(AcpxException.class, () -> journals.read("rec-1", third));
        assertEquals("WATCH_CURSOR_EXPIRED", expired.detail());
        assertEquals("Cursor is older than retained session history", expired.getMessage());
        AcpxException foreign = assertThrows(AcpxException.class,
                () -> journals.read("rec-1", WatchCursor.encode("other", 1)));
        assertEquals("WATCH_CURSOR_FOREIGN", foreign.detail());
        assertEquals("Cursor belongs to another session", foreign.getMessage());
    }
}
