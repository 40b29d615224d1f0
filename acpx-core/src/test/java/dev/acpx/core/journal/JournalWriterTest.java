package dev.acpx.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acpx.core.jsonrpc.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheNodeFormAndTheRecordKeys() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        JournalFixture.turn(w, "req-1", 3, 2);
        w.close();
        List<String> lines = Files.readAllLines(f.files().active());
        assertEquals("{\"schema\":\"acpx.session.journal.v1\",\"type\":\"segment\",\"record_id\":\"rec-1\",\"sequence\":0,"
                + "\"message_sequence\":0,\"request_id\":null}", lines.get(0));
        assertEquals("{\"schema\":\"acpx.session.journal.v1\",\"type\":\"turn_started\",\"request_id\":\"req-1\"}", lines.get(1));
        assertEquals("{\"schema\":\"acpx.session.journal.v1\",\"type\":\"turn_result\",\"request_id\":\"req-1\","
                + "\"result\":{\"status\":\"completed\",\"stopReason\":\"end_turn\"}}", lines.get(lines.size() - 1));
        assertEquals(7, lines.size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.files().active())));

        JsonNode r = f.store.load("rec-1").orElseThrow().json();
        assertEquals(4, r.path("last_seq").asLong());
        assertEquals("req-1", r.path("last_request_id").asText());
        JsonNode log = r.path("event_log");
        assertEquals(f.files().active().toString(), log.path("active_path").asText());
        assertEquals(67108864L, log.path("max_segment_bytes").asLong());
        assertEquals(5, log.path("max_segments").asInt());
        assertTrue(log.path("last_write_at").isTextual());
        assertTrue(log.path("last_write_error").isNull());

        List<JournalEvent> events = f.all();
        assertEquals(6, events.size());
        assertEquals(JournalEvent.Type.TURN_STARTED, events.get(0).type());
        assertEquals(1, events.get(0).sequence());
        assertEquals("req-1", events.get(2).requestId());
        assertEquals(JournalEvent.Type.TURN_RESULT, events.get(5).type());
        assertEquals(6, events.get(5).sequence());
    }

    @Test
    void aSecondWriterContinuesTheSequenceAndTheMessageCount() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        JournalFixture.turn(w, "req-1", 1, 1);
        w.close();
        JournalWriter w2 = f.writer();
        JournalFixture.turn(w2, "req-2", 2, 1);
        w2.close();
        List<JournalEvent> events = f.all();
        assertEquals(10, events.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).sequence());
        }
        assertEquals(6, f.store.load("rec-1").orElseThrow().json().path("last_seq").asLong());
        // one anchor only: the active segment was anchored already
        assertEquals(1, Files.readAllLines(f.files().active()).stream().filter(l -> l.contains("\"segment\"")).count());
    }

    @Test
    void aLineFromItsBytesIsWrittenAsTheSameLineAndJunkIsLeftOut() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        w.turnStarted("r");
        String update = "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"text\":\""
                + "x".repeat(3_000_000) + "\"}}";
        w.messageBytes(Direction.IN, bytes(update));
        w.messageBytes(Direction.IN, bytes("{\"jsonrpc\":\"2.0\",\"method\":\"x\"} trailing"));
        w.messageBytes(Direction.IN, bytes("{\"jsonrpc\":\"2.0\",\"method\":\"x\""));
        w.messageBytes(Direction.IN, bytes("{\"jsonrpc\":\"1.0\",\"method\":\"x\"}"));
        w.messageBytes(Direction.IN, bytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
        w.close();
        List<String> lines = Files.readAllLines(f.files().active());
        assertEquals(update, lines.get(2), "the big line, verbatim");
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", lines.get(3));
        assertEquals(4, lines.size(), "anchor, turn_started and the two ACP messages only");
    }

    private static dev.acpx.core.jsonrpc.ByteLine bytes(String text) {
        dev.acpx.core.jsonrpc.ByteLine line = new dev.acpx.core.jsonrpc.ByteLine();
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // in pieces, as a pipe delivers them: the line spans several chunks
        for (int off = 0; off < b.length; off += 65536) {
            line.append(b, off, Math.min(65536, b.length - off));
        }
        return line;
    }

    @Test
    void skipsWhatTheAgentSendsThatIsNotAnAcpMessage() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        w.turnStarted("r");
        w.message(Direction.IN, "not json");
        w.message(Direction.IN, "{\"hello\":1}");
        w.message(Direction.IN, "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{}}");
        w.turnResult("r", new TurnOutcome.Failed("boom", "RUNTIME", "QUEUE_RUNTIME_PROMPT_FAILED"));
        w.close();
        List<JournalEvent> events = f.all();
        assertEquals(3, events.size());
        JsonNode result = events.get(2).payload();
        assertEquals("failed", result.path("status").asText());
        assertEquals("boom", result.path("error").path("message").asText());
        assertEquals("RUNTIME", result.path("error").path("code").asText());
        assertEquals("QUEUE_RUNTIME_PROMPT_FAILED", result.path("error").path("detailCode").asText());
        assertFalse(result.path("error").path("retryable").asBoolean(true));
    }

    @Test
    void aTornLineIsIgnoredAndTheNextOwnerSettlesTheTurnAsUnknown() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        w.turnStarted("dead-turn");
        w.message(Direction.IN, JournalFixture.update("half"));
        // the owner is killed in the middle of its next append: a partial line, no newline, no result
        Files.writeString(f.files().active(), "{\"jsonrpc\":\"2.0\",\"method\":\"session/upd",
                java.nio.file.StandardOpenOption.APPEND);
        List<JournalEvent> before = f.all();
        assertEquals(2, before.size());
        JournalReader.Snapshot snap = f.reader().read(-1, Long.MAX_VALUE);
        assertEquals("dead-turn", snap.requestId());
        assertTrue(snap.activePartial());

        JournalWriter next = f.writer();
        JournalFixture.turn(next, "req-2", 7, 1);
        next.close();
        // the torn segment was rotated away; the new segment's anchor continues its sequence
        assertTrue(Files.exists(f.files().segment(1)));
        List<JournalEvent> events = f.all();
        JournalEvent unknown = events.get(2);
        assertEquals(JournalEvent.Type.TURN_RESULT, unknown.type());
        assertEquals("dead-turn", unknown.requestId());
        assertEquals("WATCH_OUTCOME_UNKNOWN", unknown.payload().path("error").path("detailCode").asText());
        assertEquals(JournalWriter.UNKNOWN_OUTCOME, unknown.payload().path("error").path("message").asText());
        assertEquals(JournalEvent.Type.TURN_STARTED, events.get(3).type());
        assertEquals("req-2", events.get(3).requestId());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).sequence());
        }
        assertNull(f.reader().read(-1, Long.MAX_VALUE).requestId());
    }
}
