package dev.acpx.core.process;

import dev.acpx.core.jsonrpc.LineLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A process started by {@link ProcessSupervisor}, leader of its own session and process group
 * (pgid == pid), with its stderr always drained by a platform thread of its own.
 *
 * <p>No thread here is virtual: a pipe read blocks in native code and pins a virtual thread's
 * carrier, and the exit callbacks write session records (file I/O, fsync) under locks.
 */
public final class ManagedProcess {

    static final int STDERR_TAIL_BYTES = 8 * 1024;
    private static final int MAX_LINE_BYTES = LineLimits.STDERR_PIECE_BYTES;
    // Completes user-visible futures off the JDK's process reaper thread, which must never block.
    private static final Executor EXIT_CALLBACKS =
            runnable -> Thread.ofPlatform().daemon().name("acpx-process-exit").start(runnable);

    private final ProcessSupervisor supervisor;
    private final Process process;
    private final List<String> argv;
    private final Optional<Instant> startInstant;
    private final String token;
    private final TailBuffer stderrTail = new TailBuffer(STDERR_TAIL_BYTES);
    private final CompletableFuture<ExitStatus> exit;
    private final Object terminateLock = new Object();
    private volatile boolean treeGone;

    ManagedProcess(ProcessSupervisor supervisor, Process process, List<String> argv, StderrMode stderrMode,
                   String token) {
        this.supervisor = supervisor;
        this.token = token;
        this.process = process;
        this.argv = List.copyOf(argv);
        // Read now: once the process has exited /proc no longer answers.
        this.startInstant = process.toHandle().info().startInstant();
        this.exit = process.onExit().thenApplyAsync(p -> ExitStatus.fromJavaExitValue(p.exitValue()), EXIT_CALLBACKS);
        switch (stderrMode) {
            case StderrMode.CaptureTail c -> pumpStderr(null);
            case StderrMode.ForwardLines f -> pumpStderr(f.sink());
            case StderrMode.MergeIntoStdout m -> {
                // Nothing to pump: the JDK already points stderr at the stdout pipe.
            }
        }
    }

    private void pumpStderr(Consumer<String> lineSink) {
        InputStream err = process.getErrorStream();
        Thread.ofPlatform().daemon().name("acpx-stderr-" + pid()).start(() -> {
            byte[] chunk = new byte[8192];
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (err) {
                int n;
                while ((n = err.read(chunk)) > 0) {
                    stderrTail.write(chunk, 0, n);
                    if (lineSink != null) {
                        splitLines(chunk, n, line, lineSink);
                    }
                }
            } catch (IOException e) {
                // The pipe broke because the process and its tree are gone: the tail is all there is.
            }
            if (lineSink != null && line.size() > 0) {
                deliver(lineSink, line);
            }
        });
    }

    private static void splitLines(byte[] chunk, int n, ByteArrayOutputStream line, Consumer<String> sink) {
        int from = 0;
        for (int i = 0; i < n; i++) {
            if (chunk[i] == '\n') {
                line.write(chunk, from, i - from);
                deliver(sink, line);
                from = i + 1;
            }
        }
        line.write(chunk, from, n - from);
        if (line.size() > MAX_LINE_BYTES) {
            // A newline-free flood must not grow without bound: hand it over in pieces.
            deliver(sink, line);
        }
    }

    private static void deliver(Consumer<String> sink, ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            sink.accept(text);
        } catch (RuntimeException e) {
            // A failing sink must not stop the draining, or the child would block on a full pipe.
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The value of {@link ProcessSupervisor#TOKEN_VARIABLE} every process of this tree inherits. */
    public String token() {
        return token;
    }

    /** The argv it was started with (without the setsid wrapper). */
    public List<String> argv() {
        return argv;
    }

    /** Start time as the OS reports it; with the pid it identifies this process even after pid reuse. */
    public Optional<Instant> startInstant() {
        return startInstant;
    }

    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    /** The child's stdin (buffered: flush after writing). */
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** The child's stdout (and stderr too with {@link StderrMode.MergeIntoStdout}). */
    public InputStream stdout() {
        return process.getInputStream();
    }

    /** The last ~8 KB of stderr, decoded as UTF-8 from a character boundary. */
    public String stderrTail() {
        return stderrTail.text();
    }

    /** Completes (on a thread of its own) when the process itself exits; its descendants may live on. */
    public CompletableFuture<ExitStatus> onExit() {
        return exit.copy();
    }

    public Optional<ExitStatus> exitStatus() {
        return process.isAlive() ? Optional.empty() : Optional.of(ExitStatus.fromJavaExitValue(process.exitValue()));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process itself to exit. */
    public ExitStatus awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new TimeoutException("process " + pid() + " (" + argv.get(0) + ") still running after "
                    + timeout.toMillis() + " ms");
        }
        return ExitStatus.fromJavaExitValue(process.exitValue());
    }

    /** True once {@link #terminateTree} finished, or the process exited leaving no group member behind. */
    public boolean treeGone() {
        return treeGone;
    }

    /**
     * Ends the whole tree: SIGTERM to the process group, to descendants that left it and to every process
     * that carries the tree's token (daemons that called setsid or forked twice), up to {@code grace} for
     * them to go, then SIGKILL to the group and to every process seen. Idempotent, safe after exit, not
     * interruptible (an interrupt is kept for the caller). When it returns, no process of the tree runs,
     * and those this JVM adopted as a subreaper are reaped.
     */
    public void terminateTree(Duration grace) {
        synchronized (terminateLock) {
            if (treeGone) {
                return;
            }
            long pgid = pid();
            Set<ProcessHandle> seen = snapshot(pgid);
            if (!seen.isEmpty()) {
                long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
                supervisor.signalGroup(pgid, "TERM");
                // Processes that called setsid themselves left the group; the group signal misses them.
                seen.forEach(ProcessHandle::destroy);
                ProcessTree.awaitGone(seen, deadline);
                // Sweep until nothing runs: stragglers, and anything forked into the group meanwhile.
                for (int round = 0; round < 10; round++) {
                    Set<ProcessHandle> left = new LinkedHashSet<>();
                    for (ProcessHandle h : seen) {
                        if (ProcessTree.isRunning(h)) {
                            left.add(h);
                        }
                    }
                    left.addAll(ProcessTree.groupMembers(pgid));
                    left.addAll(tokenHolders());
                    if (left.isEmpty()) {
                        break;
                    }
                    supervisor.signalGroup(pgid, "KILL");
                    left.forEach(ProcessHandle::destroyForcibly);
                    seen.addAll(left);
                    ProcessTree.awaitGone(left, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
                }
                supervisor.reapAdopted(seen, pgid);
            }
            treeGone = true;
            supervisor.forget(this);
        }
    }

    /** The leader if it runs, its descendants, every running member of its group, and every token holder. */
    private Set<ProcessHandle> snapshot(long pgid) {
        Set<ProcessHandle> seen = new LinkedHashSet<>();
        ProcessHandle leader = process.toHandle();
        if (ProcessTree.isRunning(leader)) {
            seen.add(leader);
        }
        List<ProcessHandle> descendants = new ArrayList<>();
        leader.descendants().forEach(descendants::add);
        for (ProcessHandle d : descendants) {
            if (ProcessTree.isRunning(d)) {
                seen.add(d);
            }
        }
        seen.addAll(ProcessTree.groupMembers(pgid));
        seen.addAll(tokenHolders());
        return seen;
    }

    private List<ProcessHandle> tokenHolders() {
        return ProcessTree.withEnvironmentEntry(ProcessSupervisor.TOKEN_VARIABLE, token);
    }

    /** Called by the supervisor when the leader has exited: an empty group means the tree ended by itself. */
    boolean checkTreeEnded() {
        synchronized (terminateLock) {
            if (!treeGone && !process.isAlive() && ProcessTree.groupMembers(pid()).isEmpty()
                    && tokenHolders().isEmpty()) {
                treeGone = true;
            }
            return treeGone;
        }
    }

    Process process() {
        return process;
    }
}
