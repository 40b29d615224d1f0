package dev.acpx.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The guarantee that matters most: a JVM killed with SIGKILL leaves none of its agent trees behind. */
class JvmDeathTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void treesDieWhenTheJvmIsSigkilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classpath = System.getProperty("java.class.path");
        Process probe = new ProcessBuilder(java, "-cp", classpath, WatchdogProbe.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<Long> pids = new ArrayList<>();
        try {
            String line = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertNotNull(line, "probe JVM printed nothing");
            for (String s : line.trim().split("\\s+")) {
                pids.add(Long.parseLong(s));
            }
            assertEquals(5, pids.size(), line);
            for (long pid : pids) {
                assertTrue(ProcessSupervisorTest.running(pid), "pid " + pid + " should run while the JVM lives");
            }
            awaitTrapAndSession(pids.get(2), pids.get(3));
        } finally {
            probe.destroyForcibly(); // SIGKILL: no shutdown hook, no finally blocks in the probe
        }
        probe.waitFor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Long> tree = pids.subList(0, 4);
        while (tree.stream().anyMatch(ProcessSupervisorTest::running) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        for (long pid : tree) {
            assertFalse(ProcessSupervisorTest.running(pid), "pid " + pid + " outlived its SIGKILLed JVM");
        }
        // Its work done, the watchdog exits too.
        long dog = pids.get(4);
        while (ProcessSupervisorTest.running(dog) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(ProcessSupervisorTest.running(dog), "the watchdog lingered");
    }

    /**
     * Waits until the stubborn child has installed its TERM trap (its signal mask in /proc shows TERM
     * ignored) and the setsid child leads its own session, instead of sleeping and hoping.
     */
    private static void awaitTrapAndSession(long stubborn, long daemon) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(ignoresTerm(stubborn) && ProcessTree.stat(daemon) != null && ProcessTree.stat(daemon).pgid() == daemon)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the probe's tree did not get ready within 20 s");
            }
            Thread.sleep(10);
        }
    }

    static boolean ignoresTerm(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (mask & (1L << (15 - 1))) != 0; // SIGTERM is signal 15
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }
}
