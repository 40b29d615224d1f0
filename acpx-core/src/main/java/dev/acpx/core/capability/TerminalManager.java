package dev.acpx.core.capability;

import dev.acpx.core.process.ExitStatus;
import dev.acpx.core.process.ManagedProcess;
import dev.acpx.core.process.ProcessSpec;
import dev.acpx.core.process.ProcessSupervisor;
import dev.acpx.core.process.StderrMode;
import dev.acpx.core.process.TailBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * Serves the {@code terminal/*} methods: commands run in their own process group inside the session
 * directory, stdout and stderr merged into one buffer that keeps the last {@code outputByteLimit} bytes.
 * {@link #close()} (turn end, owner end) kills every terminal's whole tree.
 */
public final class TerminalManager implements AutoCloseable {

    /** How long a terminal's tree gets between SIGTERM and SIGKILL; the Node acpx uses 1.5 s too. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofMillis(1500);

    // What makes a command line that names no existing program worth handing to sh -c (as the Node acpx does).
    private static final Pattern SHELL_SYNTAX = Pattern.compile("[\\s|&;<>()$`*?\\[\\]{}'\"\\\\]");
    // After exit, output may still sit in the pipe; a background child holding the pipe must not stall us.
    private static final long DRAIN_AFTER_EXIT_MS = 1000;

    private final SessionDirectory session;
    private final ProcessSupervisor supervisor;
    private final long defaultOutputByteLimit;
    private final Duration killGrace;
    private final Map<String, Terminal> terminals = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** The environment terminals start from (null: this JVM's); set by {@link #inEnvironmentOf}. */
    private volatile Map<String, String> base;

    /**
     * Terminals start in {@code caller}'s environment rather than this JVM's (the per-user daemon
     * runs commands for callers whose environment is not its own). Returns this manager.
     */
    public TerminalManager inEnvironmentOf(Map<String, String> caller) {
        this.base = Map.copyOf(caller);
        return this;
    }

    private record Terminal(String id, ManagedProcess process, TailBuffer output, Thread pump) {
    }

    public TerminalManager(Path cwd, ProcessSupervisor supervisor, long defaultOutputByteLimit) {
        this(cwd, supervisor, defaultOutputByteLimit, DEFAULT_KILL_GRACE);
    }

    public TerminalManager(Path cwd, ProcessSupervisor supervisor, long defaultOutputByteLimit, Duration killGrace) {
        this.session = new SessionDirectory(cwd);
        this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
        if (defaultOutputByteLimit < 0) {
            throw new IllegalArgumentException("defaultOutputByteLimit must not be negative: " + defaultOutputByteLimit);
        }
        this.defaultOutputByteLimit = defaultOutputByteLimit;
        this.killGrace = Objects.requireNonNull(killGrace, "killGrace");
    }

    /**
     * Starts {@code command} with {@code args} (no shell; when {@code args} is null and no program of that
     * name exists, a command line with shell syntax runs under {@code sh -c}). Returns the terminal id.
     */
    public String create(String command, List<String> args, Map<String, String> env, String cwd,
                         Long outputByteLimit) throws CapabilityException {
        if (closed) {
            throw new CapabilityException(CapabilityException.INTERNAL_ERROR,
                    "terminals are closed for this session; start the command in a new turn");
        }
        if (command == null || command.isBlank()) {
            throw CapabilityException.invalidParams("command is missing: name the program to run");
        }
        if (outputByteLimit != null && outputByteLimit < 0) {
            throw CapabilityException.invalidParams("outputByteLimit must not be negative, got " + outputByteLimit);
        }
        Path dir = cwd == null ? session.root() : session.resolveInside(cwd);
        if (!Files.isDirectory(dir)) {
            throw CapabilityException.invalidParams("cwd " + cwd + " is not an existing directory");
        }
        List<String> argv = new ArrayList<>();
        argv.add(command);
        if (args != null) {
            args.forEach(a -> argv.add(Objects.requireNonNull(a, "args must not contain null")));
        }
        ProcessSpec spec = new ProcessSpec(argv, dir, env, null, StderrMode.mergeIntoStdout(), false);
        if (base != null) {
            spec = spec.inEnvironmentOf(base);
        }
        ManagedProcess process;
        try {
            process = startOrFallBack(spec, command, args == null);
        } catch (IOException e) {
            throw new CapabilityException(CapabilityException.INTERNAL_ERROR, "terminal/create failed: "
                    + e.getMessage(), e);
        }
        try {
            // Like the Node acpx, terminals get no input: EOF at once rather than a read that waits forever.
            process.stdin().close();
        } catch (IOException ignored) {
            // The process already exited; its output and status still count.
        }
        TailBuffer output = new TailBuffer(outputByteLimit != null ? outputByteLimit : defaultOutputByteLimit);
        String id = UUID.randomUUID().toString();
        // A platform thread: the pipe read blocks in native code and would pin a virtual thread's carrier.
        Thread pump = Thread.ofPlatform().daemon().name("acpx-terminal-" + id)
                .start(() -> drain(process.stdout(), output));
        Terminal terminal = new Terminal(id, process, output, pump);
        terminals.put(id, terminal);
        if (closed) {
            // close() ran while we were starting: it must not miss this tree.
            release(id);
            throw new CapabilityException(CapabilityException.INTERNAL_ERROR,
                    "terminals are closed for this session; start the command in a new turn");
        }
        return id;
    }

    private ManagedProcess startOrFallBack(ProcessSpec spec, String command, boolean noArgs) throws IOException {
        try {
            return supervisor.start(spec);
        } catch (IOException notFound) {
            if (!noArgs || !SHELL_SYNTAX.matcher(command).find()) {
                throw notFound;
            }
            return supervisor.start(new ProcessSpec(List.of("/bin/sh", "-c", command), spec.cwd(),
                    spec.environment(), spec.removeEnvironment(), spec.stderr(), false));
        }
    }

    private static void drain(InputStream in, TailBuffer output) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                output.write(buf, 0, n);
            }
        } catch (IOException e) {
            // The stream closed under us (tree killed): what was read is what there is.
        }
    }

    /** The output so far and, once the command has exited, its exit status. */
    public TerminalOutput output(String id) throws CapabilityException {
        Terminal t = find(id);
        ExitStatus status = t.process().exitStatus().orElse(null);
        if (status != null) {
            joinPump(t);
        }
        return new TerminalOutput(t.output().text(), t.output().truncated(), status);
    }

    /** Blocks until the command exits; interruptible. */
    public ExitStatus waitForExit(String id) throws CapabilityException, InterruptedException {
        Terminal t = find(id);
        CompletableFuture<ExitStatus> exit = t.process().onExit();
        ExitStatus status;
        try {
            status = exit.get();
        } catch (ExecutionException e) {
            throw new CapabilityException(CapabilityException.INTERNAL_ERROR, "cannot wait for terminal " + id
                    + ": " + e.getCause(), e.getCause());
        }
        joinPump(t);
        return status;
    }

    /** Kills the command's whole tree; the output and exit status stay readable until release. */
    public void kill(String id) throws CapabilityException {
        find(id).process().terminateTree(killGrace);
    }

    /** Kills the tree if it still runs and forgets the terminal. */
    public void release(String id) throws CapabilityException {
        Terminal t = terminals.remove(requireId(id));
        if (t == null) {
            throw unknown(id);
        }
        t.process().terminateTree(killGrace);
    }

    /** The ids of terminals not yet released. */
    public List<String> ids() {
        return List.copyOf(terminals.keySet());
    }

    /** Kills every terminal's tree (in parallel) and forgets them all; later creates are refused. */
    @Override
    public void close() {
        closed = true;
        List<CompletableFuture<Void>> endings = new ArrayList<>();
        for (String id : List.copyOf(terminals.keySet())) {
            Terminal t = terminals.remove(id);
            if (t != null) {
                endings.add(CompletableFuture.runAsync(() -> t.process().terminateTree(killGrace),
                        r -> Thread.ofPlatform().daemon().name("acpx-terminal-close").start(r)));
            }
        }
        CompletableFuture.allOf(endings.toArray(CompletableFuture[]::new)).join();
    }

    private void joinPump(Terminal t) {
        try {
            t.pump().join(Duration.ofMillis(DRAIN_AFTER_EXIT_MS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Terminal find(String id) throws CapabilityException {
        Terminal t = terminals.get(requireId(id));
        if (t == null) {
            throw unknown(id);
        }
        return t;
    }

    private static String requireId(String id) throws CapabilityException {
        if (id == null) {
            throw CapabilityException.invalidParams("terminalId is missing");
        }
        return id;
    }

    private static CapabilityException unknown(String id) {
        return CapabilityException.invalidParams("unknown terminal " + id + ": it was never created or was released");
    }
}
