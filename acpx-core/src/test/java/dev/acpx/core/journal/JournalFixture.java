package dev.acpx.core.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.jsonrpc.Direction;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionScope;
import dev.acpx.core.session.SessionStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A record in a temp ~/.acpx and helpers to journal turns to it, as the queue owner does. */
final class JournalFixture {
    final ObjectMapper mapper = new ObjectMapper();
    final Path acpxHome;
    final SessionStore store;
    final SessionRecord record;

    JournalFixture(Path tmp, Long maxSegmentBytes, Integer maxSegments) {
        acpxHome = tmp.resolve(".acpx");
        store = new SessionStore(acpxHome, mapper, Clock.systemUTC());
        record = SessionRecord.create("rec-1", new SessionScope("agent", tmp, null), SessionRecord.MODE_PERSISTENT,
                Clock.systemUTC().instant());
        if (maxSegmentBytes != null) {
            var log = record.json().putObject("event_log");
            log.put("max_segment_bytes", maxSegmentBytes);
            log.put("max_segments", maxSegments);
        }
        store.save(record);
    }

    JournalWriter writer() {
        return JournalWriter.open(store, store.load(record.acpxRecordId()).orElseThrow(), mapper, Clock.systemUTC());
    }

    JournalFiles files() {
        return new JournalFiles(store.sessionsDir(), record.acpxRecordId());
    }

    JournalReader reader() {
        return new SessionJournals(acpxHome, store, mapper).reader(store.load(record.acpxRecordId()).orElseThrow());
    }

    List<JournalEvent> all() {
        return reader().read(-1, Long.MAX_VALUE).events();
    }

    /** One turn: prompt out, {@code updates} chunks in, the response in, the result marker. */
    static void turn(JournalWriter w, String requestId, int promptId, int updates) {
        w.turnStarted(requestId);
        w.message(Direction.OUT, "{\"jsonrpc\":\"2.0\",\"id\":" + promptId
                + ",\"method\":\"session/prompt\",\"params\":{\"sessionId\":\"s\",\"prompt\":[{\"type\":\"text\",\"text\":\"go\"}]}}");
        for (int i = 0; i < updates; i++) {
            w.message(Direction.IN, update("chunk " + i + " "));
        }
        w.message(Direction.IN, "{\"jsonrpc\":\"2.0\",\"id\":" + promptId + ",\"result\":{\"stopReason\":\"end_turn\"}}");
        w.turnResult(requestId, new TurnOutcome.Stopped("end_turn"));
    }

    static String update(String text) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"s\",\"update\":"
                + "{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\"" + text + "\"}}}}";
    }
}
