package dev.acpx.core.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.acpx.core.os.Kernel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Starts processes each in its own session and process group, and guarantees that the trees it started do
 * not outlive this JVM, even when it is SIGKILLed: a watchdog helper (see {@link Watchdog}) kills every
 * registered group when this JVM's end of its stdin pipe closes. One per runtime; pass it where needed.
 * {@link #close()} ends every tree still running and then dismisses the watchdog.
 *
 * <p>Processes that leave their group and their parent (setsid, double fork) are found two ways.
 * Every tree gets a random {@value #TOKEN_VARIABLE} in its environment, which its processes inherit,
 * so ending a tree ends every process of this user that carries its token. And where the kernel can
 * be reached ({@link Kernel}, JDK 22+), this JVM becomes a child subreaper: orphans are re-parented
 * to it instead of to init, and {@link AdoptedReaper} reaps them when they exit.
 */
public final class ProcessSupervisor implements AutoCloseable {

    /** The environment variable that marks every process of one started tree. */
    public static final String TOKEN_VARIABLE = "ACPX_SESSION_TOKEN";

    private final Duration orphanGrace;
    private final String setsid;
    private final String kill;
    private final Kernel kernel;
    private final Thread subreaperSetup;
    private boolean subreaper;
    private final Map<Long, ManagedProcess> live = new LinkedHashMap<>();
    private Watchdog watchdog;
    private AdoptedReaper reaper;
    private final java.util.function.Supplier<Set<Long>> startedHere = this::startedPids;
    private boolean closed;
    /** Set for a supervisor that borrows another's watchdog and reaper (see {@link #borrowing}). */
    private final ProcessSupervisor lender;
    /** The supervisor this JVM's runtimes borrow from, when its main class shares one (the daemon). */
    private static volatile ProcessSupervisor sharedWithRuntimes;

    /** A supervisor whose watchdog and {@link #close()} give trees 2 s between SIGTERM and SIGKILL. */
    public ProcessSupervisor() {
        this(Duration.ofSeconds(2));
    }

    /** @param orphanGrace how long trees get between SIGTERM and SIGKILL on close() or when this JVM dies */
    public ProcessSupervisor(Duration orphanGrace) {
        this(orphanGrace, Kernel.load());
    }

    /** @param kernel the native calls to use; {@link Kernel.Unavailable} gives the portable behaviour */
    public ProcessSupervisor(Duration orphanGrace, Kernel kernel) {
        this.lender = null;
        this.orphanGrace = Objects.requireNonNull(orphanGrace, "orphanGrace");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        String path = System.getenv("PATH");
        Path root = Path.of("/");
        this.setsid = Executables.find("setsid", path, root).map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("setsid (util-linux) is not on PATH; acpx needs it to "
                        + "give each agent its own process group: install util-linux"));
        this.kill = Executables.find("kill", path, root).map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("kill (procps) is not on PATH; acpx needs it to end "
                        + "process groups: install procps"));
        // Off the start-up path: linking the native call costs tens of milliseconds of code generation,
        // and exec starts its agent at once. An orphan made before the call lands goes to init instead
        // of to us; its tree's token still ends it, so only the adoption of that one is lost.
        this.subreaperSetup = kernel.available()
                ? Thread.ofPlatform().daemon().name("acpx-subreaper").start(this::becomeSubreaper) : null;
    }

    private ProcessSupervisor(ProcessSupervisor lender) {
        this.lender = lender;
        this.orphanGrace = lender.orphanGrace;
        this.kernel = lender.kernel;
        this.setsid = lender.setsid;
        this.kill = lender.kill;
        this.subreaperSetup = null;
    }

    /**
     * Makes {@code shared} the supervisor every {@link #forRuntime()} borrows from. The per-user daemon
     * runs each command's runtime this way: one watchdog and one reaper for the JVM instead of a
     * watchdog process started and stopped per command (measured: a third of an agent's spawn time).
     */
    public static void shareWithRuntimes(ProcessSupervisor shared) {
        sharedWithRuntimes = shared;
    }

    /**
     * The supervisor for a new runtime: one that borrows the shared one's watchdog when this JVM shares
     * one ({@link #shareWithRuntimes}), else one of its own.
     */
    public static ProcessSupervisor forRuntime() {
        ProcessSupervisor shared = sharedWithRuntimes;
        return shared != null && !shared.isClosed() ? borrowing(shared) : new ProcessSupervisor();
    }

    /**
     * A supervisor that starts its processes through {@code lender} (its watchdog guards them, its
     * reaper adopts their orphans) and whose {@link #close()} ends only the trees it started itself,
     * leaving the lender's watchdog running.
     */
    public static ProcessSupervisor borrowing(ProcessSupervisor lender) {
        return new ProcessSupervisor(lender.lender != null ? lender.lender : lender);
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void becomeSubreaper() {
        boolean ok;
        try {
            ok = kernel.becomeChildSubreaper();
        } catch (RuntimeException | LinkageError e) {
            ok = false; // the portable behaviour (tokens, watchdog) remains
        }
        synchronized (this) {
            subreaper = ok;
            if (ok && !closed) {
                reaper = AdoptedReaper.join(kernel, startedHere);
            }
        }
    }

    /**
     * True when this JVM adopts the orphans of the trees it starts (Linux, JDK 22+, native access);
     * waits (up to 30 s) for the setup begun at construction.
     */
    public boolean adoptsOrphans() {
        if (lender != null) {
            return lender.adoptsOrphans();
        }
        if (subreaperSetup != null) {
            try {
                subreaperSetup.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            return subreaper;
        }
    }

    /**
     * Starts {@code spec} as the leader of a new session (pgid == pid) and registers its group with the
     * watchdog. Throws IOException naming the program when it cannot be found or started.
     */
    public ManagedProcess start(ProcessSpec spec) throws IOException {
        if (lender != null) {
            return startBorrowed(spec);
        }
        ProcessBuilder pb = new ProcessBuilder();
        Map<String, String> env = pb.environment();
        spec.removeEnvironment().forEach(env::remove);
        env.putAll(spec.environment());
        // Unique, not secret: a process that copies another tree's token only gets itself ended with it.
        String token = UUID.randomUUID().toString().replace("-", "");
        env.put(TOKEN_VARIABLE, token);
        if (!Files.isDirectory(spec.cwd())) {
            throw new IOException("cannot start " + spec.argv().get(0) + ": working directory " + spec.cwd()
                    + " does not exist or is not a directory");
        }
        String program = spec.argv().get(0);
        if (Executables.find(program, Executables.childPath(env), spec.cwd()).isEmpty()) {
            throw new IOException(program.contains("/")
                    ? "cannot start " + program + ": no executable file at " + spec.cwd().resolve(program)
                    : "cannot start " + program + ": not found on PATH ("
                            + Objects.requireNonNullElse(Executables.childPath(env), Executables.DEFAULT_PATH)
                            + "); install it or give its full path");
        }
        List<String> command = new ArrayList<>(spec.argv().size() + 1);
        // The JDK never makes its children group leaders, so setsid(1) calls setsid() and execs in place
        // instead of forking: the pid the JDK sees is the program's pid and its new group id.
        command.add(setsid);
        command.addAll(spec.argv());
        pb.command(command).directory(spec.cwd().toFile());
        if (spec.stderr() instanceof StderrMode.MergeIntoStdout) {
            pb.redirectErrorStream(true);
        }
        ManagedProcess managed;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("process supervisor is closed; cannot start " + program);
            }
            Watchdog dog = watchdog();
            Process process = pb.start();
            managed = new ManagedProcess(this, process, spec.argv(), spec.stderr(), token);
            live.put(process.pid(), managed);
            if (!dog.send(Watchdog.add(process.pid(), token))) {
                restartWatchdog();
            }
        }
        // Platform threads here and below: they read /proc, run kill(1) and write the watchdog's pipe.
        managed.process().onExit().thenRunAsync(() -> leaderExited(managed),
                r -> Thread.ofPlatform().daemon().name("acpx-exit-check").start(r));
        return managed;
    }

    private ManagedProcess startBorrowed(ProcessSpec spec) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("process supervisor is closed; cannot start " + spec.argv().get(0));
            }
        }
        ManagedProcess managed = lender.start(spec);
        boolean endNow;
        synchronized (this) {
            endNow = closed; // closed while it started: it is ended here, as close() would have
            if (!endNow) {
                live.put(managed.pid(), managed);
            }
        }
        if (endNow) {
            managed.terminateTree(orphanGrace);
            throw new IllegalStateException("process supervisor is closed; cannot start " + spec.argv().get(0));
        }
        // Forgotten once the whole tree has ended, as the lender forgets it; a tree that outlives its
        // leader stays here, and close() ends it.
        managed.process().onExit().thenRunAsync(() -> {
            if (managed.checkTreeEnded()) {
                synchronized (this) {
                    live.remove(managed.pid(), managed);
                }
            }
        }, r -> Thread.ofPlatform().daemon().name("acpx-exit-check").start(r));
        return managed;
    }

    private void leaderExited(ManagedProcess managed) {
        if (managed.checkTreeEnded()) {
            forget(managed);
        }
    }

    /** Called once a tree is gone: the watchdog must not signal that group id again (pids get reused). */
    void forget(ManagedProcess managed) {
        synchronized (this) {
            if (live.remove(managed.pid(), managed) && watchdog != null && !watchdog.send(Watchdog.del(managed.pid()))) {
                restartWatchdogQuietly();
            }
        }
    }

    void signalGroup(long pgid, String signal) {
        ProcessTree.signalGroup(kill, pgid, signal);
    }

    /** The JDK's own children for this supervisor: the JDK waits for these, so they are never reaped here. */
    private synchronized Set<Long> startedPids() {
        Set<Long> pids = new HashSet<>(live.keySet());
        if (watchdog != null) {
            pids.add(watchdog.pid());
        }
        return pids;
    }

    /** Reaps processes of an ended tree that were adopted (not started by the JDK) and are now zombies. */
    void reapAdopted(Collection<ProcessHandle> ended, long leaderPid) {
        synchronized (this) {
            if (!subreaper) {
                return;
            }
        }
        Set<Long> ours = startedPids();
        List<ProcessHandle> adopted = new ArrayList<>();
        for (ProcessHandle h : ended) {
            if (h.pid() != leaderPid && !ours.contains(h.pid())) {
                adopted.add(h);
            }
        }
        AdoptedReaper r;
        synchronized (this) {
            r = reaper;
        }
        if (r != null) {
            r.reapKnown(adopted);
        }
    }

    private Watchdog watchdog() throws IOException {
        if (watchdog == null || !watchdog.isAlive()) {
            restartWatchdog();
        }
        return watchdog;
    }

    // Someone killed the watchdog: start a new one and tell it every group still in our care.
    private void restartWatchdog() throws IOException {
        try {
            watchdog = Watchdog.start(setsid, orphanGrace);
        } catch (IOException e) {
            throw new IOException("cannot start the acpx watchdog process (" + setsid + " /bin/sh), which "
                    + "ensures agent processes die with this JVM: " + e.getMessage(), e);
        }
        for (ManagedProcess p : live.values()) {
            watchdog.send(Watchdog.add(p.pid(), p.token()));
        }
    }

    private void restartWatchdogQuietly() {
        try {
            restartWatchdog();
        } catch (IOException e) {
            // Retried on the next start(), which fails loudly if the watchdog still cannot run.
            watchdog = null;
        }
    }

    /** The processes whose trees have not ended yet. */
    public synchronized List<ManagedProcess> running() {
        return List.copyOf(live.values());
    }

    /** The watchdog's pid while one runs (for diagnostics and tests). */
    public synchronized OptionalLong watchdogPid() {
        if (lender != null) {
            return lender.watchdogPid();
        }
        return watchdog != null && watchdog.isAlive() ? OptionalLong.of(watchdog.pid()) : OptionalLong.empty();
    }

    /** Ends every tree still running (in parallel, each with the orphan grace), then dismisses the watchdog. */
    @Override
    public void close() {
        List<ManagedProcess> toEnd;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toEnd = List.copyOf(live.values());
        }
        List<CompletableFuture<Void>> endings = new ArrayList<>();
        for (ManagedProcess p : toEnd) {
            endings.add(CompletableFuture.runAsync(() -> p.terminateTree(orphanGrace),
                    r -> Thread.ofPlatform().daemon().name("acpx-close-" + p.pid()).start(r)));
        }
        CompletableFuture.allOf(endings.toArray(CompletableFuture[]::new)).join();
        if (lender != null) {
            return; // the watchdog and the reaper are the lender's
        }
        synchronized (this) {
            if (reaper != null) {
                // The JVM-wide reaper goes on: daemons ended just now may exit after this close.
                AdoptedReaper.leave(startedHere);
                reaper = null;
            }
            if (watchdog != null) {
                watchdog.stop();
                watchdog = null;
            }
        }
    }
}
