package dev.acpx.core.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the kernel says of another process, read from {@code /proc}: whether it is stopped, what
 * its arguments are, and a bounded wait for it to go. Used to recognise and retire a queue owner
 * or a daemon that cannot answer.
 */
public final class ProcessProbe {
    private ProcessProbe() {}

    /** True when the process is stopped (SIGSTOP, or held by a debugger): it cannot answer until continued. */
    public static boolean stopped(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The process's arguments (after the command), or its whole {@code /proc} command line when the JDK cannot tell. */
    public static List<String> arguments(ProcessHandle h) {
        return Arrays.asList(h.info().arguments().orElseGet(() -> cmdline(h.pid())));
    }

    private static String[] cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).split("\0");
        } catch (IOException e) {
            return new String[0];
        }
    }

    /** Waits up to {@code max} for the process to be gone; a process still there is the caller's to judge. */
    public static void awaitGone(ProcessHandle p, Duration max) {
        try {
            p.onExit().get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // still there after the wait: the caller carries on, and the lock tells the truth
        }
    }
}
