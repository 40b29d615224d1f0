package dev.acpx.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/acpx} on a real pseudo-terminal ({@code script -qec CMD /dev/null}): its stdin, stdout and
 * stderr are the terminal, as for a person at a shell. Everything it prints is collected by a reader
 * thread; answers are typed on the terminal's input.
 */
final class Pty implements AutoCloseable {
    private final Process process;
    private final StringBuffer seen = new StringBuffer();
    private final Thread reader;

    private Pty(Process process) {
        this.process = process;
        InputStream in = process.getInputStream();
        this.reader = Thread.ofPlatform().daemon(true).start(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /** Starts {@code bin/acpx args...} in {@code acpx}'s cwd and environment, on a terminal. */
    static Pty start(Acpx acpx, List<String> args) throws IOException {
        StringBuilder command = new StringBuilder(Acpx.REPO.resolve("bin/acpx").toString());
        for (String arg : args) {
            command.append(' ').append('\'').append(arg.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", command.toString(), "/dev/null")
                .directory(acpx.cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(acpx.env);
        return new Pty(pb.start());
    }

    /** Waits until {@code text} has been printed {@code times} times in all. */
    void await(String text, int times, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (count(text) < times) {
            if (System.nanoTime() > end || (!process.isAlive() && count(text) < times)) {
                Thread.sleep(200); // let the reader drain the last bytes
                if (count(text) >= times) {
                    return;
                }
                throw new AssertionError("no " + times + "x \"" + text + "\" within " + limit + "; seen:\n" + seen);
            }
            Thread.sleep(20);
        }
    }

    private int count(String text) {
        String all = seen.toString();
        int n = 0;
        for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + text.length())) {
            n++;
        }
        return n;
    }

    /** Types a line on the terminal. */
    void type(String line) throws IOException {
        OutputStream out = process.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Types raw characters (a control character, for instance) without a newline. */
    void typeRaw(String chars) throws IOException {
        OutputStream out = process.getOutputStream();
        out.write(chars.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Waits for the exit code. */
    int exit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("acpx on the terminal did not exit within " + limit + "; seen:\n" + seen);
        }
        reader.join(2000);
        return process.exitValue();
    }

    String seen() {
        return seen.toString();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
