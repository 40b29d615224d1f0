package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.engine.SessionHostFactory;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * The body of a queue owner process's {@code main}: take the session's owner lock, serve until the
 * TTL expires or SIGTERM arrives, then close the host and leave. The caller supplies how to open
 * the session host and exits the JVM with the returned code.
 */
public final class OwnerProcess {

    private OwnerProcess() {
    }

    /**
     * Runs an owner for the session named in {@code args} ({@link OwnerLaunch#parse}); returns 0 when
     * it served and exited, or at once when another owner already serves the session; 2 on bad args.
     */
    public static int run(String[] args, Function<OwnerLaunch, SessionHostFactory> hosts, ObjectMapper mapper,
                          Clock clock, PrintStream log) {
        return run(args, hosts, launch -> JournalHook.NONE, mapper, clock, log);
    }

    /** As above, the owner's engine reporting to the journal hook {@code journals} makes for the session. */
    public static int run(String[] args, Function<OwnerLaunch, SessionHostFactory> hosts,
                          Function<OwnerLaunch, JournalHook> journals, ObjectMapper mapper, Clock clock,
                          PrintStream log) {
        OwnerLaunch launch;
        try {
            launch = OwnerLaunch.parse(args);
        } catch (IllegalArgumentException e) {
            log.println("[acpx] " + e.getMessage());
            return 2;
        }
        String recordId = launch.recordId();
        QueuePaths paths = new QueuePaths(launch.acpxHome());
        Optional<OwnerServer> started = OwnerServer.start(paths, recordId, launch.settings(),
                hosts.apply(launch), journals.apply(launch), mapper, clock);
        if (started.isEmpty()) {
            log.println("[acpx] another queue owner already serves session " + recordId + "; this one exits");
            return 0;
        }
        OwnerServer owner = started.get();
        log.println("[acpx] queue owner " + ProcessHandle.current().pid() + " ready for session " + recordId
                + " (ttlMs=" + launch.settings().ttl().toMillis() + ", queueMaxDepth="
                + launch.settings().queueMaxDepth() + ")");
        // SIGTERM/SIGINT/SIGHUP: close the host so the agent tree goes with us, then release the socket.
        Thread hook = new Thread(() -> {
            owner.shutdown("owner_terminated");
            try {
                owner.awaitExit(launch.settings().shutdownGrace().plusSeconds(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "acpx-queue-owner-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String reason = owner.exited().join();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped us
        }
        log.println("[acpx] queue owner for session " + recordId + " exited: " + reason);
        return 0;
    }
}
