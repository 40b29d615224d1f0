package dev.acpx.core.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;

/** Child process for tests: waits for a common start time, runs ensure, prints the record id. */
public final class EnsureMain {
    public static void main(String[] args) throws Exception {
        SessionStore store = new SessionStore(Path.of(args[0]), new ObjectMapper(), Clock.systemUTC());
        long startAt = Long.parseLong(args[3]);
        Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
        System.out.println(store.ensure(args[1], Path.of(args[2]), null).acpxRecordId());
    }
}
