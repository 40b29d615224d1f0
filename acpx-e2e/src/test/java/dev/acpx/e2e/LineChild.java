package dev.acpx.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test main class run in its own JVM (the test's class path and marker environment), talked to
 * one line at a time: every read has a deadline, and the child's stdout is drained on a platform
 * thread so a wedged child fails the test instead of hanging it.
 */
final class LineChild implements AutoCloseable {
    private final Process process;
    private final PrintStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private static final String EOF = "\u0000EOF";

    private LineChild(Process process) {
        this.process = process;
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("line-child-" + process.pid()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
            lines.add(EOF);
        });
    }

    static LineChild start(Acpx acpx, Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(acpx.env);
        return new LineChild(pb.start());
    }

    Process process() {
        return process;
    }

    void send(String line) {
        in.println(line);
    }

    /** The next line that starts with {@code prefix} (earlier lines are skipped), within {@code limit}. */
    String await(String prefix, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + limit);
            }
            if (line.equals(EOF)) {
                throw new AssertionError("the child exited before printing '" + prefix + "'");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** The next line, whatever it is, within {@code limit}. */
    String next(Duration limit) throws InterruptedException {
        String line = lines.poll(limit.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new AssertionError("no line from the child within " + limit);
        }
        return line;
    }

    @Override
    public void close() throws InterruptedException {
        in.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
