package dev.acpx.core.flow;

import dev.acpx.api.flow.ShellResult;
import dev.acpx.api.flow.ShellSpec;
import dev.acpx.core.process.ExitStatus;
import dev.acpx.core.process.ManagedProcess;
import dev.acpx.core.process.ProcessSpec;
import dev.acpx.core.process.ProcessSupervisor;
import dev.acpx.core.process.StderrMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Shell actions: each command runs as the leader of its own process group under a
 * {@link ProcessSupervisor}, whose watchdog ends the group even when the run's JVM is SIGKILLed; a
 * timeout or cancel ends the whole group. stdout and stderr are captured separately and together.
 */
final class ShellActions implements AutoCloseable {
    private static final long DEFAULT_MAX_BUFFER = 8L << 20;
    private static final Duration TERM_GRACE = Duration.ofSeconds(2);

    private ProcessSupervisor supervisor;

    /** Thrown when the spec's own limit ended the command (the node then times out). */
    static final class ShellTimeout extends RuntimeException {
        final ShellResult result;

        ShellTimeout(String message, ShellResult result) {
            super(message);
            this.result = result;
        }
    }

    private synchronized ProcessSupervisor supervisor() {
        if (supervisor == null) {
            supervisor = ProcessSupervisor.forRuntime();
        }
        return supervisor;
    }

    /**
     * Runs {@code spec}; {@code remaining} is the node's time left (null: none). Returns the result
     * whatever the exit code; a cancel through {@code cancel} ends the group and returns what it had.
     */
    ShellResult run(ShellSpec spec, Path runCwd, Duration remaining, NodeCancel cancel) {
        Path cwd = spec.cwd() == null ? runCwd : runCwd.resolve(spec.cwd()).normalize();
        List<String> argv = new ArrayList<>();
        if (spec.shell()) {
            argv.addAll(List.of("sh", "-c", spec.args().isEmpty() ? spec.command()
                    : spec.command() + " " + spec.args().stream().map(ShellActions::shellQuote).collect(Collectors.joining(" "))));
        } else {
            argv.add(spec.command());
            argv.addAll(spec.args());
        }
        long max = spec.maxBufferBytes() == 0 ? DEFAULT_MAX_BUFFER : spec.maxBufferBytes();
        Capture stdout = new Capture(max);
        Capture stderr = new Capture(max);
        StringBuilder combined = new StringBuilder();
        long started = System.nanoTime();
        ManagedProcess p;
        try {
            p = supervisor().start(new ProcessSpec(argv, cwd, spec.env(), Set.of(),
                    new StderrMode.ForwardLines(line -> {
                        stderr.add(line + "\n");
                        synchronized (combined) {
                            combined.append(line).append('\n');
                        }
                    }), false));
        } catch (IOException e) {
            throw new IllegalStateException("Shell action could not start (" + describe(spec) + "): " + e.getMessage(), e);
        }
        cancel.onCancel(() -> p.terminateTree(TERM_GRACE));
        Thread reader = Thread.ofPlatform().daemon().name("acpx-flow-shell-out").start(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = p.stdout()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    String s = new String(buf, 0, n, StandardCharsets.UTF_8);
                    stdout.add(s);
                    synchronized (combined) {
                        combined.append(s);
                    }
                }
            } catch (IOException e) {
                // the group ended: what was read is the output
            }
        });
        try (OutputStream in = p.stdin()) {
            if (spec.stdin() != null) {
                in.write(spec.stdin().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the command did not read its stdin: not an error of the action
        }
        Duration limit = spec.timeout() != null ? (spec.timeout().isZero() ? null : spec.timeout()) : remaining;
        boolean timedOut = false;
        ExitStatus status;
        try {
            status = limit == null ? p.awaitExit(Duration.ofDays(365)) : p.awaitExit(limit);
        } catch (TimeoutException e) {
            timedOut = true;
            p.terminateTree(TERM_GRACE);
            status = p.exitStatus().orElse(ExitStatus.ofSignal("SIGKILL"));
        } catch (InterruptedException e) {
            p.terminateTree(TERM_GRACE);
            Thread.currentThread().interrupt();
            status = p.exitStatus().orElse(ExitStatus.ofSignal("SIGKILL"));
        }
        p.terminateTree(TERM_GRACE); // daemons the command left behind end with it
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String all;
        synchronized (combined) {
            all = combined.toString();
        }
        ShellResult result = new ShellResult(spec.command(), spec.args(), cwd.toString(), stdout.text(), stderr.text(),
                all, status.code(), status.signal(), (System.nanoTime() - started) / 1_000_000, timedOut);
        if (timedOut && spec.timeout() != null) {
            throw new ShellTimeout("Timed out after " + limit.toMillis() + "ms", result);
        }
        return result;
    }

    /** {@code sh "-c" "exit 7"}: the command and its arguments as the Node acpx prints them in errors. */
    static String describe(ShellSpec spec) {
        StringBuilder sb = new StringBuilder(spec.command());
        for (String a : spec.args()) {
            sb.append(' ').append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Override
    public synchronized void close() {
        if (supervisor != null) {
            supervisor.close();
            supervisor = null;
        }
    }

    /** A capped text buffer: past the cap the rest is dropped (the result says so at its end). */
    private static final class Capture {
        private final long max;
        private final StringBuilder sb = new StringBuilder();
        private boolean truncated;

        Capture(long max) {
            this.max = max;
        }

        synchronized void add(String s) {
            if (sb.length() + s.length() > max) {
                sb.append(s, 0, (int) Math.max(0, max - sb.length()));
                truncated = true;
            } else {
                sb.append(s);
            }
        }

        synchronized String text() {
            return truncated ? sb + "\n[acpx: output truncated at " + max + " bytes]" : sb.toString();
        }
    }
}
