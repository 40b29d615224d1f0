package dev.acpx.core.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Child process for the lost-update test: increments the counter key {@code args[2]} of record
 * {@code args[1]} {@code args[3]} times, each a read-modify-write through {@link SessionStore#update},
 * then prints DONE.
 */
public final class RecordUpdaterMain {
    public static void main(String[] args) {
        SessionStore store = new SessionStore(Path.of(args[0]), new ObjectMapper(), Clock.systemUTC());
        String id = args[1];
        String key = args[2];
        int times = Integer.parseInt(args[3]);
        for (int i = 0; i < times; i++) {
            store.update(id, r -> {
                r.json().put(key, r.json().path(key).asInt(0) + 1);
                r.json().put("total", r.json().path("total").asInt(0) + 1);
                return true;
            }).orElseThrow();
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
