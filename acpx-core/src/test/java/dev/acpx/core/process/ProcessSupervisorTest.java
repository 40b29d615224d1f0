package dev.acpx.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessSupervisorTest {

    @TempDir
    Path dir;
    private ProcessSupervisor supervisor;

    @BeforeEach
    void setUp() {
        supervisor = new ProcessSupervisor(Duration.ofMillis(500));
    }

    @AfterEach
    void tearDown() {
        supervisor.close();
    }

    private ManagedProcess sh(String script) throws IOException {
        return supervisor.start(ProcessSpec.of(List.of("sh", "-c", script), dir));
    }

    static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false);
    }

    /** Reads "pid pid pid" printed by a script on its first stdout line. */
    private static List<Long> firstLinePids(ManagedProcess p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertNotNull(line, "the script printed no pids; stderr: " + p.stderrTail());
        List<Long> pids = new ArrayList<>();
        for (String s : line.trim().split("\\s+")) {
            pids.add(Long.parseLong(s));
        }
        return pids;
    }

    @Test
    void exitCodeIsCaptured() throws Exception {
        ManagedProcess p = sh("exit 3");
        assertEquals(ExitStatus.ofCode(3), p.awaitExit(Duration.ofSeconds(10)));
        assertEquals(ExitStatus.ofCode(3), p.onExit().get(5, TimeUnit.SECONDS));
        assertEquals(ExitStatus.ofCode(3), p.exitStatus().orElseThrow());
        assertTrue(p.startInstant().isPresent());
    }

    @Test
    void sigkillIsReportedAsASignal() throws Exception {
        ManagedProcess p = sh("sleep 1000");
        assertTrue(p.exitStatus().isEmpty());
        p.toHandle().destroyForcibly();
        ExitStatus status = p.awaitExit(Duration.ofSeconds(10));
        assertEquals(ExitStatus.ofSignal("SIGKILL"), status);
        assertEquals("signal SIGKILL", status.describe());
    }

    @Test
    void eachProcessLeadsItsOwnGroupAndSession() throws Exception {
        ManagedProcess p = sh("echo ready; sleep 1000");
        new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine();
        ProcessTree.Stat stat = ProcessTree.stat(p.pid());
        assertNotNull(stat);
        assertEquals(p.pid(), stat.pgid(), "pid must equal pgid: setsid must exec in place, not fork");
        String sid = Files.readString(Path.of("/proc/" + p.pid() + "/stat")).split("\\) ", 2)[1].split(" ")[3];
        assertEquals(p.pid(), Long.parseLong(sid), "the process must lead its own session");
        assertEquals(List.of("sh", "-c", "echo ready; sleep 1000"), p.argv());
        p.terminateTree(Duration.ofSeconds(2));
    }

    @Test
    void terminateTreeEndsEveryProcessOfTheTree() throws Exception {
        ManagedProcess p = sh("sleep 1000 & a=$!; sleep 1000 & b=$!; echo $$ $a $b; wait");
        List<Long> pids = firstLinePids(p);
        assertEquals(3, pids.size());
        pids.forEach(pid -> assertTrue(running(pid), "pid " + pid + " should run before termination"));
        long t0 = System.nanoTime();
        p.terminateTree(Duration.ofSeconds(5));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        for (long pid : pids) {
            assertFalse(running(pid), "pid " + pid + " survived terminateTree");
        }
        assertTrue(ms < 3000, "SIGTERM-friendly tree should end fast, took " + ms + " ms");
        assertEquals(ExitStatus.ofSignal("SIGTERM"), p.awaitExit(Duration.ofSeconds(5)));
        assertTrue(p.treeGone());
        assertTrue(supervisor.running().isEmpty());
        p.terminateTree(Duration.ofSeconds(5)); // idempotent
    }

    @Test
    void childIgnoringSigtermIsKilledAfterGrace() throws Exception {
        ManagedProcess p = sh("sh -c \"trap '' TERM; echo \\$\\$; while :; do sleep 0.05; done\" & wait");
        long stubborn = firstLinePids(p).get(0);
        // The script prints its pid after the trap, so the trap is already there: no sleep needed.
        assertTrue(JvmDeathTest.ignoresTerm(stubborn), "the child should ignore SIGTERM by now");
        long t0 = System.nanoTime();
        p.terminateTree(Duration.ofMillis(400));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertFalse(running(stubborn), "the SIGTERM-ignoring child survived");
        assertFalse(running(p.pid()));
        assertTrue(ms >= 350, "the grace should have been waited, took " + ms + " ms");
    }

    @Test
    void terminateTreeReachesOrphansLeftInTheGroupAfterTheLeaderExited() throws Exception {
        ManagedProcess p = sh("sleep 1000 & echo $!; exit 0");
        long orphan = firstLinePids(p).get(0);
        assertEquals(ExitStatus.ofCode(0), p.awaitExit(Duration.ofSeconds(5)));
        assertTrue(running(orphan));
        assertFalse(p.treeGone());
        p.terminateTree(Duration.ofSeconds(2));
        assertFalse(running(orphan));
    }

    @Test
    void terminateTreeAfterExitIsSafeAndFast() throws Exception {
        ManagedProcess p = sh("true");
        p.awaitExit(Duration.ofSeconds(5));
        long t0 = System.nanoTime();
        p.terminateTree(Duration.ofSeconds(5));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 1000);
        assertTrue(p.treeGone());
    }

    @Test
    void stderrTailKeepsTheEnd() throws Exception {
        ManagedProcess p = sh("i=0; while [ $i -lt 2000 ]; do echo \"line $i\" >&2; i=$((i+1)); done; exit 1");
        p.awaitExit(Duration.ofSeconds(20));
        // The pump may lag the exit by a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!p.stderrTail().endsWith("line 1999\n") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String tail = p.stderrTail();
        assertTrue(tail.endsWith("line 1999\n"), tail);
        assertFalse(tail.contains("line 0\n"));
        assertTrue(tail.length() <= ManagedProcess.STDERR_TAIL_BYTES);
    }

    @Test
    void stderrFloodDoesNotBlockTheChild() throws Exception {
        // 20 MB on stderr: far beyond a pipe buffer; nobody reads stderr but the pump.
        ManagedProcess p = sh("head -c 20000000 /dev/zero | tr '\\0' x >&2; echo done");
        String out = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine();
        assertEquals("done", out);
        assertEquals(ExitStatus.ofCode(0), p.awaitExit(Duration.ofSeconds(30)));
    }

    @Test
    void stderrLinesAreForwarded() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ManagedProcess p = supervisor.start(ProcessSpec.of(List.of("sh", "-c", "echo one >&2; printf 'two' >&2"), dir)
                .withStderr(StderrMode.forwardLines(lines::add)));
        p.awaitExit(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lines.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("one", "two"), lines);
    }

    @Test
    void environmentIsSetAndRemoved() throws Exception {
        ManagedProcess p = supervisor.start(ProcessSpec.of(List.of("sh", "-c", "echo \"$ACPX_A|${HOME-unset}|$PWD\""), dir)
                .withEnvironment(Map.of("ACPX_A", "x y")).withoutEnvironment(Set.of("HOME")));
        String line = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine();
        assertEquals("x y|unset|" + dir.toRealPath(), line);
    }

    @Test
    void stdinIsAPipe() throws Exception {
        ManagedProcess p = supervisor.start(ProcessSpec.of(List.of("cat"), dir));
        p.stdin().write("ping\n".getBytes(StandardCharsets.UTF_8));
        p.stdin().flush();
        assertEquals("ping", new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine());
        p.stdin().close();
        assertEquals(ExitStatus.ofCode(0), p.awaitExit(Duration.ofSeconds(5)));
    }

    @Test
    void missingProgramIsAClearError() {
        IOException e = assertThrows(IOException.class,
                () -> supervisor.start(ProcessSpec.of(List.of("acpx-no-such-agent-xyz"), dir)));
        assertTrue(e.getMessage().contains("acpx-no-such-agent-xyz") && e.getMessage().contains("not found on PATH"),
                e.getMessage());
        IOException e2 = assertThrows(IOException.class,
                () -> supervisor.start(ProcessSpec.of(List.of("./nope"), dir)));
        assertTrue(e2.getMessage().contains("no executable file"), e2.getMessage());
    }

    @Test
    void childrenInheritNoDescriptorBeyondStdio() throws Exception {
        sh("true").awaitExit(Duration.ofSeconds(5)); // make sure the watchdog pipe exists
        ManagedProcess p = sh("echo ready; exec sleep 1000");
        new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine();
        Set<String> fds;
        try (var s = Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
            fds = s.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(Set.of("0", "1", "2"), fds, "a child holding the watchdog pipe would keep it alive");
        p.terminateTree(Duration.ofSeconds(1));
    }

    @Test
    void closeEndsEveryTreeAndDismissesTheWatchdog() throws Exception {
        ManagedProcess p = sh("sleep 1000 & echo $!; wait");
        long child = firstLinePids(p).get(0);
        long dog = supervisor.watchdogPid().orElseThrow();
        supervisor.close();
        assertFalse(running(child));
        assertFalse(running(p.pid()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (running(dog) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(running(dog), "watchdog should exit on close");
        assertThrows(IllegalStateException.class, () -> sh("true"));
    }

    @Test
    void aKilledWatchdogIsReplaced() throws Exception {
        ManagedProcess first = sh("sleep 1000");
        long dog = supervisor.watchdogPid().orElseThrow();
        ProcessHandle.of(dog).orElseThrow().destroyForcibly();
        ProcessHandle.of(dog).ifPresent(h -> h.onExit().join());
        ManagedProcess second = sh("sleep 1000");
        long newDog = supervisor.watchdogPid().orElseThrow();
        assertTrue(newDog != dog);
        assertEquals(2, supervisor.running().size());
        first.terminateTree(Duration.ofSeconds(1));
        second.terminateTree(Duration.ofSeconds(1));
    }

    @Test
    void aBorrowingSupervisorSharesTheWatchdogAndEndsOnlyItsOwnTreesOnClose() throws Exception {
        ManagedProcess lenders = sh("sleep 1000");
        long dog = supervisor.watchdogPid().orElseThrow();
        ProcessSupervisor borrower = ProcessSupervisor.borrowing(supervisor);
        // A tree whose leader has left and whose child lives on: close must still end the child.
        ManagedProcess orphaning = borrower.start(ProcessSpec.of(List.of("sh", "-c", "sleep 1000 & echo $!"), dir));
        long child = firstLinePids(orphaning).get(0);
        orphaning.process().onExit().join();
        ManagedProcess own = borrower.start(ProcessSpec.of(List.of("sleep", "1000"), dir));
        assertEquals(dog, borrower.watchdogPid().orElseThrow(), "no watchdog of its own");
        assertEquals(dog, supervisor.watchdogPid().orElseThrow());
        borrower.close();
        assertFalse(running(own.pid()));
        assertFalse(running(child), "the child its tree left behind is ended too");
        assertTrue(running(lenders.pid()), "the lender's tree is not the borrower's to end");
        assertTrue(running(dog), "the lender's watchdog stays");
        assertThrows(IllegalStateException.class, () -> borrower.start(ProcessSpec.of(List.of("true"), dir)));
        ManagedProcess after = sh("sleep 1000");
        assertEquals(dog, supervisor.watchdogPid().orElseThrow());
        lenders.terminateTree(Duration.ofSeconds(1));
        after.terminateTree(Duration.ofSeconds(1));
    }

    @Test
    void runtimesBorrowTheSharedSupervisorOnlyWhileOneIsShared() throws Exception {
        ProcessSupervisor.shareWithRuntimes(supervisor);
        try {
            sh("true").process().onExit().join(); // the lender's watchdog runs
            ProcessSupervisor borrowed = ProcessSupervisor.forRuntime();
            ManagedProcess p = borrowed.start(ProcessSpec.of(List.of("sleep", "1000"), dir));
            assertEquals(supervisor.watchdogPid(), borrowed.watchdogPid());
            borrowed.close();
            assertFalse(running(p.pid()));
        } finally {
            ProcessSupervisor.shareWithRuntimes(null);
        }
        try (ProcessSupervisor own = ProcessSupervisor.forRuntime()) {
            ManagedProcess p = own.start(ProcessSpec.of(List.of("sleep", "1000"), dir));
            assertTrue(own.watchdogPid().orElseThrow() != supervisor.watchdogPid().orElseThrow(),
                    "with none shared, a runtime has a watchdog of its own");
            p.terminateTree(Duration.ofSeconds(1));
        }
    }
}
