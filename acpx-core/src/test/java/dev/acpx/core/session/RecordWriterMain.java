package dev.acpx.core.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * Child process for the crash test: rewrites one record as fast as it can, each version with a
 * higher {@code write_seq} and a history of varying length (so sizes change), printing the number
 * of each completed save until it is SIGKILLed.
 */
public final class RecordWriterMain {
    public static void main(String[] args) throws Exception {
        SessionStore store = new SessionStore(Path.of(args[0]), new ObjectMapper(), Clock.systemUTC());
        String id = args[1];
        long seq = store.load(id).map(r -> r.json().path("write_seq").asLong()).orElse(0L);
        SessionRecord r = store.load(id).orElseGet(() -> SessionRecord.create(id,
                new SessionScope("node agent.mjs", Path.of("/w"), null), SessionRecord.MODE_PERSISTENT, Instant.now()));
        while (true) {
            seq++;
            r.json().put("write_seq", seq);
            var pad = r.json().putArray("padding");
            for (int i = 0; i < seq % 97; i++) {
                pad.add("line " + i + " of version " + seq);
            }
            store.save(r);
            System.out.println(seq);
            System.out.flush();
        }
    }
}
