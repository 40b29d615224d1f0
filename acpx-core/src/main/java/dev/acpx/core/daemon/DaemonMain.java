package dev.acpx.core.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.process.ProcessSupervisor;
import dev.acpx.core.queue.OwnerLaunch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The per-user daemon process ({@code DaemonMain --acpx-daemon <acpxHome>}), started detached by
 * {@link DaemonStarter}. One {@link ProcessSupervisor} (one watchdog) for all hosted sessions: when
 * this JVM dies, however, every agent tree it started goes with it, and the kernel frees its locks.
 */
public final class DaemonMain {
    /**
     * How long the daemon stays with no session hosted: covers the gap between a starter seeing it
     * answer and asking it to host. Leaving too early costs only a new start (the starter retries).
     */
    static final Duration LINGER = Duration.ofSeconds(2);

    private DaemonMain() {}

    public static void main(String[] args) {
        if (args.length != 2 || !args[0].equals(OwnerLaunch.DAEMON_FLAG)) {
            System.err.println("[acpx] usage: DaemonMain " + OwnerLaunch.DAEMON_FLAG + " <acpx home>");
            System.exit(2);
        }
        DaemonPaths paths = DaemonPaths.of(Path.of(args[1]));
        ProcessSupervisor supervisor = new ProcessSupervisor();
        Optional<DaemonHost> started;
        try {
            started = DaemonHost.start(paths, new ObjectMapper(), Clock.systemUTC(), supervisor, LINGER, System.err);
        } catch (RuntimeException e) {
            System.err.println("[acpx] the daemon cannot start: " + e.getMessage());
            supervisor.close();
            System.exit(1);
            return;
        }
        if (started.isEmpty()) {
            System.err.println("[acpx] another acpx daemon serves " + paths.acpxHome() + "; this one exits");
            supervisor.close();
            System.exit(0);
            return;
        }
        DaemonHost daemon = started.get();
        System.err.println("[acpx] daemon " + ProcessHandle.current().pid() + " ready for " + paths.acpxHome());
        // SIGTERM/SIGINT/SIGHUP: stop every hosted owner, so their agent trees go with them.
        Thread hook = new Thread(() -> daemon.shutdown("terminated"), "acpx-daemon-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        daemon.exited().join();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what stopped us
        }
        supervisor.close();
        System.exit(0);
    }
}
