package dev.acpx.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Peak resident set sizes from /proc: VmHWM is the kernel's own high-water mark of a process, so
 * one reading at the end is exact for a process that is still alive (a queue owner), and sampling
 * until exit gives the peak of one that ends (a CLI run) within the sampling interval.
 */
final class PeakRss {
    private PeakRss() {}

    /** VmHWM of {@code pid} in kB, or 0 when the process is gone. */
    static long hwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between the check and the read
        }
        return 0;
    }

    /** Waits for {@code p} to exit (at most {@code seconds}), sampling its VmHWM; the peak in kB. */
    static long untilExit(Process p, long seconds) throws InterruptedException {
        long peak = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (p.isAlive() && System.nanoTime() < deadline) {
            peak = Math.max(peak, hwmKb(p.pid()));
            p.waitFor(20, TimeUnit.MILLISECONDS);
        }
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("process " + p.pid() + " did not finish within " + seconds + " s");
        }
        return peak;
    }
}
