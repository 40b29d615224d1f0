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

    /** {@code DaemonMain --acpx-daemon-ensure <acpxHome>}: start the daemon if none of this build answers, then exit. */
    public static final String ENSURE_FLAG = dev.acpx.api.CommandLineWire.DAEMON_ENSURE_FLAG;
    /** Seconds the daemon stays after the last forwarded command (default {@link #CALL_LINGER}). */
    public static final String IDLE_ENV = "ACPX_DAEMON_IDLE";
    /** After a forwarded command: warm for the next one, as long as a session's default TTL. */
    static final Duration CALL_LINGER = Duration.ofSeconds(300);

    public static void main(String[] args) {
        if (args.length == 2 && args[0].equals(ENSURE_FLAG)) {
            ensure(Path.of(args[1]));
            return;
        }
        if (args.length != 2 || !args[0].equals(OwnerLaunch.DAEMON_FLAG)) {
            System.err.println("[acpx] usage: DaemonMain " + OwnerLaunch.DAEMON_FLAG + " <acpx home>");
            System.exit(2);
        }
        DaemonPaths paths = DaemonPaths.of(Path.of(args[1]));
        ProcessSupervisor supervisor = new ProcessSupervisor();
        Optional<DaemonHost> started;
        try {
            started = DaemonHost.start(paths, new ObjectMapper(), Clock.systemUTC(), supervisor, LINGER, callLinger(),
                    System.err);
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
        // The commands it runs start their agents under this supervisor's watchdog (none of their own).
        ProcessSupervisor.shareWithRuntimes(supervisor);
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

    private static Duration callLinger() {
        String v = System.getenv(IDLE_ENV);
        try {
            return v == null || v.isBlank() ? CALL_LINGER : Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            return CALL_LINGER;
        }
    }

    /** For a thin client: exit 0 once a daemon of this build answers, 1 with the reason otherwise. */
    private static void ensure(Path acpxHome) {
        java.util.Map<String, String> env = System.getenv();
        try {
            ProcessHandle daemon = new DaemonStarter(DaemonPaths.of(acpxHome), new ObjectMapper(),
                    dev.acpx.core.engine.agent.DemoAgentLauncher.ownerJvm(env)).ensure(Duration.ofSeconds(30));
            System.out.println(daemon.pid());
            System.exit(0);
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("acpx: the acpx daemon cannot start: " + e.getMessage());
            System.exit(1);
        }
    }
}
