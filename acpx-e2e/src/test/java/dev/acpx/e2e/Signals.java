package dev.acpx.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Signals the JDK cannot send (STOP, CONT, INT to a pid), through kill(1), and process states from /proc. */
final class Signals {
    private Signals() {}

    /** Sends SIG{@code name} to {@code pid}; a process already gone is not an error. */
    static void send(long pid, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new IllegalStateException("kill -s " + name + " " + pid + " did not return");
        }
    }

    /** The state letter of {@code pid} in /proc (R, S, T, Z...), or '?' when it is gone. */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return stat.charAt(close + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** Gone, or a zombie: killed, not yet reaped by whichever process adopted it. */
    static boolean gone(long pid) {
        char state = state(pid);
        return state == '?' || state == 'Z' || state == 'X';
    }

    /** Waits up to {@code limit} for {@code pid} to be {@link #gone}; true if it went. */
    static boolean awaitGone(long pid, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!gone(pid) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return gone(pid);
    }

    /** Waits until {@code pid} is in {@code state}; fails the test when it is not within {@code limit}. */
    static void awaitState(long pid, char state, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (state(pid) != state) {
            if (System.nanoTime() > end) {
                throw new AssertionError("process " + pid + " is in state " + state(pid) + ", not " + state);
            }
            Thread.sleep(20);
        }
    }
}
