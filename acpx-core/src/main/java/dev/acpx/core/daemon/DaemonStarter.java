package dev.acpx.core.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxVersion;
import dev.acpx.core.lifecycle.HostFileLock;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The caller's side of the daemon: asks it to host a session's queue owner, starting the daemon
 * when none answers (racing callers start one: the starter holds the spawn lock until its daemon
 * answers), retiring one of another build (SIGTERM, then SIGKILL) and replacing a stuck one
 * (stopped, or silent for {@link #STUCK_AFTER}: SIGKILL; the reaper repairs its sessions' records
 * and the new daemon reconnects them on their next prompt).
 */
public final class DaemonStarter {
    /** How long a running daemon may stay silent before it counts as wedged and is replaced. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(20);
    /** How long one request may wait for the daemon's answer. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    /**
     * How often the daemon hands the malloc'd memory the JVM freed back to the kernel. Measured with
     * 8 idle sessions: 85.0 MB instead of 90.6-91.2 MB of daemon RSS; MALLOC_ARENA_MAX=2 on top
     * saved nothing more. (A lower MaxHeapFreeRatio saved nothing either while the heap shrank in
     * steps; see the options below.)
     */
    private static final int TRIM_NATIVE_MILLIS = 5_000;

    private final DaemonPaths paths;
    private final DaemonClient client;
    private final List<String> daemonArgv;
    private final String build = AcpxVersion.buildId();

    /** @param javaCommand the java command and options (class path included) that start a JVM of this build */
    public DaemonStarter(DaemonPaths paths, ObjectMapper mapper, List<String> javaCommand) {
        this.paths = paths;
        this.client = new DaemonClient(paths, mapper);
        // One heap for every session and every forwarded command (an exec of a 50 MB line peaks near
        // 150 MB): a higher ceiling than one owner's, given back when idle (MaxHeapFreeRatio).
        List<String> argv = new ArrayList<>(javaCommand.stream().map(DaemonStarter::daemonOption).toList());
        // The heap given back at once when a command's garbage is gone, not over several collections
        // (ShrinkHeapInSteps), and a young generation a quarter of it: 8 idle sessions, daemon RSS
        // 85.0-86.0 MB -> 79.2-79.3 MB (bench case i, A/B runs on this machine).
        argv.add(1, "-XX:-ShrinkHeapInSteps");
        argv.add(2, "-XX:NewRatio=3");
        // Idle memory is the daemon's point (bench case i): what the JVM freed of its native memory
        // (compiler arenas, a finished command's buffers) goes back to the kernel, not to glibc's arenas.
        if (Runtime.version().feature() >= 22) { // a product flag from JDK 22 on (experimental in 21)
            argv.add(1, "-XX:TrimNativeHeapInterval=" + TRIM_NATIVE_MILLIS);
        }
        argv.addAll(List.of(DaemonMain.class.getName(), dev.acpx.core.queue.OwnerLaunch.DAEMON_FLAG,
                paths.acpxHome().toString()));
        this.daemonArgv = List.copyOf(argv);
    }

    private static String daemonOption(String option) {
        return switch (option) {
            case "-Xmx256m" -> "-Xmx1g";
            case "-XX:MaxHeapFreeRatio=30" -> "-XX:MaxHeapFreeRatio=20";
            default -> option;
        };
    }

    /**
     * Has the daemon host the owner described by {@code launchArgs} (its agent inheriting {@code env});
     * returns the daemon process once the session's socket is bound. Fails with the reason when no
     * daemon took it within {@code deadline}.
     */
    public ProcessHandle host(List<String> launchArgs, Map<String, String> env, Duration deadline) throws IOException {
        return until(() -> client.host(build, launchArgs, env, ANSWER_WAIT), deadline, "take the session");
    }

    /**
     * Makes sure a daemon of this build serves the home (starting one, retiring one of another build,
     * replacing a stuck one), for a thin client about to forward a command; returns it.
     */
    public ProcessHandle ensure(Duration deadline) throws IOException {
        return until(() -> client.ping(build, ANSWER_WAIT), deadline, "answer");
    }

    private ProcessHandle until(java.util.function.Supplier<DaemonClient.Exchange> ask, Duration deadline, String what)
            throws IOException {
        paths.ensureDirectory();
        long end = System.nanoTime() + deadline.toNanos();
        long silentSince = 0;
        long pause = 10;
        String lastProblem = "none answered";
        while (true) {
            long asked = System.nanoTime();
            DaemonClient.Exchange x = ask.get();
            switch (x) {
                case DaemonClient.Exchange.Answer a when a.reply().ok() -> {
                    long pid = a.reply().pid();
                    return ProcessHandle.of(pid).orElseThrow(() -> new IOException("the acpx daemon " + pid
                            + " exited right after its answer; see " + paths.log()));
                }
                case DaemonClient.Exchange.Answer a when a.reply().otherBuild() -> {
                    retire(true, "it runs another acpx build (" + a.reply().build() + ")");
                    lastProblem = "a daemon of another build was retired";
                }
                case DaemonClient.Exchange.Answer a when a.reply().retiring() -> lastProblem = "the daemon was leaving";
                case DaemonClient.Exchange.Answer a -> throw new IOException(a.reply().message());
                case DaemonClient.Exchange.Silent s -> {
                    silentSince = silentSince == 0 ? asked : silentSince;
                    long silentFor = System.nanoTime() - silentSince;
                    lastProblem = "the daemon accepts but does not answer";
                    if (stuck(silentFor)) {
                        retire(false, "it did not answer its socket for " + TimeUnit.NANOSECONDS.toSeconds(silentFor)
                                + " s");
                        silentSince = 0;
                    }
                }
                case DaemonClient.Exchange.Absent a -> {
                    silentSince = 0;
                    lastProblem = "no daemon answered (" + a.why() + ")";
                    startDaemon(end);
                }
            }
            if (System.nanoTime() >= end) {
                throw new IOException("the acpx daemon did not " + what + " within " + deadline.toSeconds()
                        + " s: " + lastProblem + "; see " + paths.log() + " (or run with ACPX_DAEMON=0)");
            }
            sleep(pause);
            pause = Math.min(pause * 2, 100);
        }
    }

    private boolean stuck(long silentNanos) {
        return silentNanos >= STUCK_AFTER.toNanos()
                || new DaemonRetirement(paths).daemon().map(dev.acpx.core.process.ProcessProbe::stopped).orElse(false);
    }

    private void retire(boolean gracefully, String why) {
        new DaemonRetirement(paths).retire(gracefully).ifPresent(pid -> note("[acpx] daemon " + pid
                + " was replaced by a caller (" + ProcessHandle.current().pid() + "): " + why));
    }

    /**
     * Starts a daemon unless one answers or holds the daemon lock, and waits (holding the spawn lock,
     * so racing callers start no second one) until it answers, dies, or the deadline passes.
     */
    private void startDaemon(long end) throws IOException {
        Optional<HostFileLock> spawnLock;
        try {
            spawnLock = HostFileLock.lock(paths.spawnLock(), Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the acpx daemon");
        }
        if (spawnLock.isEmpty()) {
            return;
        }
        try (HostFileLock held = spawnLock.get()) {
            if (!(client.ping(build, ANSWER_WAIT) instanceof DaemonClient.Exchange.Absent)) {
                return; // another caller started it meanwhile (or it is stuck: the caller's loop decides)
            }
            if (HostFileLock.isHeld(paths.lock())) {
                return; // a daemon is binding or leaving: the caller's loop asks again
            }
            Process daemon = spawn();
            long pause = 10;
            while (daemon.isAlive() && System.nanoTime() < end
                    && client.ping(build, ANSWER_WAIT) instanceof DaemonClient.Exchange.Absent) {
                sleep(pause);
                pause = Math.min(pause * 2, 100);
            }
        }
    }

    private Process spawn() throws IOException {
        Path log = paths.log();
        if (!Files.exists(log)) {
            dev.acpx.core.lifecycle.PrivateFiles.createFile(log);
        }
        List<String> command = new ArrayList<>();
        // A session of its own: the caller's Ctrl+C and terminal hangup never reach the daemon.
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(p -> command.add(p.toString()));
        command.addAll(daemonArgv);
        // At "/": the daemon outlives the caller's directory and must keep no mount busy; every path a
        // command uses is resolved against its caller's directory (CommandLineCall.cwd()).
        return new ProcessBuilder(command)
                .directory(new File("/"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
    }

    private void note(String line) {
        try {
            Files.writeString(paths.log(), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is a courtesy; the replacement happened either way
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the acpx daemon");
        }
    }
}
