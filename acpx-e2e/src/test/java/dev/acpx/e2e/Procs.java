package dev.acpx.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The process table, read from /proc: which live processes carry a test's marker. */
final class Procs {
    private Procs() {}

    static List<String> withMarker(String marker) {
        List<String> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                try {
                    long pid = Long.parseLong(dir.getFileName().toString());
                    if (pid == self) {
                        continue;
                    }
                    if (marker.equals(markerOf(pid)) && !isZombie(dir)) {
                        String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
                                .replace('\0', ' ').trim();
                        found.add(pid + " " + cmd);
                    }
                } catch (IOException | NumberFormatException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** The ACPX_TEST_MARKER a live process carries, or null (none, or it ended). */
    static String markerOf(long pid) {
        try {
            String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                    StandardCharsets.UTF_8);
            for (String entry : environ.split("\0")) {
                if (entry.startsWith("ACPX_TEST_MARKER=")) {
                    return entry.substring("ACPX_TEST_MARKER=".length());
                }
            }
        } catch (IOException e) {
            // ended while we looked
        }
        return null;
    }

    private static boolean isZombie(Path dir) throws IOException {
        String stat = Files.readString(dir.resolve("stat"));
        int close = stat.lastIndexOf(')');
        return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) == 'Z';
    }

    /** Waits up to {@code millis} for every marked process to be gone; returns what is left. */
    static List<String> awaitNone(String marker, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        List<String> left = withMarker(marker);
        while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            left = withMarker(marker);
        }
        return left;
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
