package dev.acpx.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A holder writes back only its own changes; a record closed on disk stays closed. */
class RecordMergeTest {
    private final Instant t0 = Instant.parse("2026-12-01T10:00:00Z");

    private SessionRecord record() {
        return SessionRecord.create("r1", new SessionScope("agent", Path.of("/w"), null),
                SessionRecord.MODE_PERSISTENT, t0);
    }

    @Test
    void theHoldersChangesLandAndEveryOtherKeyKeepsTheDisksValue() {
        SessionRecord held = record();
        ObjectNode base = held.json().deepCopy();
        held.setPid(100L);
        held.appendTurn(HistoryEntry.Role.USER, "hello", t0);
        held.json().remove("title");

        SessionRecord disk = record();
        disk.setName("named-by-someone-else");
        disk.setLastAgentDisconnectReason("process_gone");

        assertFalse(RecordMerge.apply(base, held.json(), disk));
        assertEquals(100L, disk.pid());
        assertEquals("hello", disk.history().getLast().textPreview());
        assertFalse(disk.json().has("title"), "a key the holder removed is removed");
        assertEquals("named-by-someone-else", disk.name());
        assertEquals("process_gone", disk.lastAgentDisconnectReason());
    }

    @Test
    void aRecordClosedOnDiskStaysClosedWithItsFirstClosing() {
        SessionRecord held = record();
        ObjectNode base = held.json().deepCopy();
        held.setLastUsedAt(t0.plusSeconds(5));
        held.setClosed(true); // even a holder closing it itself does not replace the first closing
        held.setClosedReason("runtime_closed");

        SessionRecord disk = record();
        disk.setClosed(true);
        disk.setClosedAt(t0.plusSeconds(1));
        disk.setClosedReason("closed by sessions close");

        assertTrue(RecordMerge.apply(base, held.json(), disk));
        assertTrue(disk.closed());
        assertEquals("closed by sessions close", disk.closedReason());
        assertEquals(t0.plusSeconds(1), disk.closedAt());
        assertEquals(t0.plusSeconds(5), disk.lastUsedAt());
    }

    @Test
    void anOpenRecordTakesTheHoldersOwnClose() {
        SessionRecord held = record();
        ObjectNode base = held.json().deepCopy();
        held.setClosed(true);
        held.setClosedAt(t0);
        held.setClosedReason("runtime_closed");
        SessionRecord disk = record();
        assertFalse(RecordMerge.apply(base, held.json(), disk));
        assertTrue(disk.closed());
        assertEquals("runtime_closed", disk.closedReason());
        assertNull(disk.pid());
    }
}
