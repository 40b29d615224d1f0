package dev.acpx.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.core.os.Kernel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes that leave their tree (setsid, double fork) end with it: found by the tree's token, and,
 * with the kernel calls, adopted by this JVM as a subreaper and reaped once they exit.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DaemonTreeTest {

    @TempDir
    Path dir;

    /** A setsid'ed sleep, started in the background so that it is orphaned when the script exits. */
    private static final String SETSID_DAEMON = "setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $!";
    /** The classic double fork: a subshell starts the daemon and exits at once. */
    private static final String DOUBLE_FORK = "(setsid sh -c 'exec sleep 1000' </dev/null >/dev/null 2>&1 & echo $!)";

    @Test
    void theTestJvmHasTheKernelCalls() {
        // The pom puts META-INF/versions/22 on the test class path and enables native access; without
        // that every test below would only exercise the fallback.
        Kernel kernel = Kernel.load();
        assertTrue(kernel.available(), kernel.description());
    }

    @Test
    void aSetsidDaemonIsAdoptedThenEndedWithItsTreeAndReaped() throws Exception {
        try (ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofMillis(500))) {
            assertTrue(supervisor.adoptsOrphans(), Kernel.load().description());
            ManagedProcess p = supervisor.start(ProcessSpec.of(List.of("sh", "-c", SETSID_DAEMON), dir));
            long daemon = firstLinePid(p);
            assertEquals(ExitStatus.ofCode(0), p.awaitExit(Duration.ofSeconds(10)));
            await(() -> parentOf(daemon) == ProcessHandle.current().pid(), "the orphan was not re-parented to us");
            assertTrue(running(daemon));
            assertFalse(p.treeGone(), "a tree whose daemon runs has not ended");
            assertEquals(List.of(p), supervisor.running());

            p.terminateTree(Duration.ofSeconds(2));
            assertFalse(running(daemon), "the setsid daemon outlived its tree");
            assertNull(ProcessTree.stat(daemon), "the adopted daemon was left a zombie");
            assertTrue(supervisor.running().isEmpty());
        }
    }

    @Test
    void aDoubleForkedDaemonEndsWhenTheSupervisorCloses() throws Exception {
        long daemon;
        try (ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofMillis(500))) {
            // The subreaper is set up in the background; these tests need it in place before the fork.
            assertTrue(supervisor.adoptsOrphans(), Kernel.load().description());
            ManagedProcess p = supervisor.start(ProcessSpec.of(List.of("sh", "-c", DOUBLE_FORK + "; exec sleep 1000"),
                    dir));
            daemon = firstLinePid(p);
            await(() -> parentOf(daemon) == ProcessHandle.current().pid(), "the orphan was not re-parented to us");
            // setsid(2) runs in the daemon after the echo: wait for it rather than race it.
            await(() -> ProcessTree.stat(daemon) != null && ProcessTree.stat(daemon).pgid() == daemon,
                    "the daemon did not leave the group");
        }
        assertFalse(running(daemon), "the double-forked daemon outlived the supervisor");
    }

    @Test
    void withoutKernelCallsTheTokenStillFindsTheDaemon() throws Exception {
        try (ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofMillis(500),
                new Kernel.Unavailable("test"))) {
            assertFalse(supervisor.adoptsOrphans());
            ManagedProcess p = supervisor.start(ProcessSpec.of(List.of("sh", "-c", DOUBLE_FORK + "; exec sleep 1000"),
                    dir));
            long daemon = firstLinePid(p);
            assertTrue(running(daemon));
            p.terminateTree(Duration.ofSeconds(2));
            assertFalse(running(daemon), "the daemon outlived its tree on the fallback path");
        }
    }

    @Test
    void anAdoptedDaemonThatExitsByItselfIsReaped() throws Exception {
        try (ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofMillis(500))) {
            assertTrue(supervisor.adoptsOrphans(), Kernel.load().description());
            ManagedProcess p = supervisor.start(ProcessSpec.of(List.of("sh", "-c",
                    "(setsid sh -c 'exec sleep 1' </dev/null >/dev/null 2>&1 & echo $!); exec sleep 1000"), dir));
            long daemon = firstLinePid(p);
            // Re-parented to us, it exits after a second; no one but the reaper waits for it.
            await(() -> ProcessTree.stat(daemon) == null, "the adopted daemon stayed a zombie");
            assertTrue(p.isAlive());
        }
    }

    @Test
    void environEntriesMatchWhole() {
        byte[] environ = "A=1\0ACPX_SESSION_TOKEN=abc\0B=2\0".getBytes(StandardCharsets.UTF_8);
        assertTrue(ProcessTree.holdsEntry(environ, "ACPX_SESSION_TOKEN=abc".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ProcessTree.holdsEntry(environ, "B=2".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ProcessTree.holdsEntry(environ, "ACPX_SESSION_TOKEN=ab".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ProcessTree.holdsEntry(environ, "SESSION_TOKEN=abc".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ProcessTree.holdsEntry(new byte[0], "A=1".getBytes(StandardCharsets.UTF_8)));
    }

    private static long firstLinePid(ManagedProcess p) throws IOException {
        String line = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine();
        assertNotNull(line, "the script printed no pid; stderr: " + p.stderrTail());
        return Long.parseLong(line.trim());
    }

    private static long parentOf(long pid) {
        ProcessTree.Stat stat = ProcessTree.stat(pid);
        return stat == null ? -1 : stat.ppid();
    }

    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
    }

    private static void await(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure + " within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
