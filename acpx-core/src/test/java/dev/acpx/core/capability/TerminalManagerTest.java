package dev.acpx.core.capability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.core.process.ExitStatus;
import dev.acpx.core.process.ProcessSupervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TerminalManagerTest {

    @TempDir
    Path cwd;
    private ProcessSupervisor supervisor;
    private TerminalManager terminals;

    @BeforeEach
    void setUp() {
        supervisor = new ProcessSupervisor(Duration.ofMillis(500));
        terminals = new TerminalManager(cwd, supervisor, 64 * 1024, Duration.ofMillis(300));
    }

    @AfterEach
    void tearDown() {
        terminals.close();
        supervisor.close();
    }

    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (Exception e) {
            return true;
        }
    }

    private long awaitPidInOutput(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String out = terminals.output(id).output();
            if (out.contains("\n")) {
                return Long.parseLong(out.substring(0, out.indexOf('\n')).trim());
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no pid printed");
    }

    @Test
    void echoOutputAndExitStatus() throws Exception {
        String id = terminals.create("echo", List.of("hello", "world"), Map.of(), null, null);
        assertEquals(ExitStatus.ofCode(0), terminals.waitForExit(id));
        TerminalOutput out = terminals.output(id);
        assertEquals("hello world\n", out.output());
        assertFalse(out.truncated());
        assertEquals(ExitStatus.ofCode(0), out.exitStatusOrNull());
    }

    @Test
    void stdoutAndStderrShareOneBufferAndEnvAndCwdApply() throws Exception {
        Files.createDirectory(cwd.resolve("sub"));
        String id = terminals.create("sh", List.of("-c", "echo out; echo \"err $X\" >&2; pwd; exit 4"),
                Map.of("X", "42"), cwd.resolve("sub").toString(), null);
        assertEquals(ExitStatus.ofCode(4), terminals.waitForExit(id));
        assertEquals("out\nerr 42\n" + cwd.toRealPath().resolve("sub") + "\n", terminals.output(id).output());
    }

    @Test
    void outputKeepsTheLastBytesAtACharacterBoundary() throws Exception {
        // 1000 lines of "é-NNNN\n" (8 bytes each); keep only 23 bytes, which cuts the first é in half.
        String id = terminals.create("sh", List.of("-c",
                "i=1000; while [ $i -lt 2000 ]; do echo \"é-$i\"; i=$((i+1)); done"), Map.of(), null, 23L);
        terminals.waitForExit(id);
        TerminalOutput out = terminals.output(id);
        assertTrue(out.truncated());
        assertEquals("-1997\né-1998\né-1999\n", out.output());
    }

    @Test
    void shellSyntaxWithoutArgsRunsUnderSh() throws Exception {
        String id = terminals.create("echo a | tr a b", null, Map.of(), null, null);
        terminals.waitForExit(id);
        assertEquals("b\n", terminals.output(id).output());
    }

    @Test
    void missingProgramIsAnError() {
        CapabilityException e = assertThrows(CapabilityException.class,
                () -> terminals.create("acpx-no-such-program", List.of(), Map.of(), null, null));
        assertEquals(CapabilityException.INTERNAL_ERROR, e.code());
        assertTrue(e.getMessage().contains("acpx-no-such-program"), e.getMessage());
    }

    @Test
    void cwdOutsideTheSessionIsRefused() {
        CapabilityException e = assertThrows(CapabilityException.class,
                () -> terminals.create("true", List.of(), Map.of(), "/", null));
        assertEquals(CapabilityException.INVALID_PARAMS, e.code());
    }

    @Test
    void killEndsTheTreeButKeepsOutput() throws Exception {
        String id = terminals.create("sh", List.of("-c", "echo $$; echo started; sleep 1000"), Map.of(), null, null);
        long pid = awaitPidInOutput(id);
        assertNull(terminals.output(id).exitStatusOrNull());
        terminals.kill(id);
        assertFalse(running(pid));
        assertEquals(ExitStatus.ofSignal("SIGTERM"), terminals.waitForExit(id));
        TerminalOutput out = terminals.output(id);
        assertTrue(out.output().contains("started"), out.output());
        assertEquals(ExitStatus.ofSignal("SIGTERM"), out.exitStatusOrNull());
        terminals.release(id);
        assertThrows(CapabilityException.class, () -> terminals.output(id));
    }

    @Test
    void waitForExitIsInterruptible() throws Exception {
        String id = terminals.create("sleep", List.of("1000"), Map.of(), null, null);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                terminals.waitForExit(id);
            } catch (InterruptedException expected) {
                return;
            } catch (CapabilityException e) {
                throw new AssertionError(e);
            }
            throw new AssertionError("waitForExit returned instead of being interrupted");
        });
        // Interrupt the wait itself, not a thread that has yet to start waiting.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (waiter.getState() != Thread.State.WAITING && waiter.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the waiter never blocked: " + waiter.getState());
            Thread.sleep(5);
        }
        waiter.interrupt();
        waiter.join(5000);
        assertFalse(waiter.isAlive());
    }

    @Test
    void closeKillsAChildThatIgnoresSigterm() throws Exception {
        String id = terminals.create("sh", List.of("-c",
                "sh -c \"trap '' TERM; echo \\$\\$; while :; do sleep 0.05; done\" & wait"), Map.of(), null, null);
        // The script echoes its pid after installing the trap: no sleep is needed before close().
        long stubborn = awaitPidInOutput(id);
        assertTrue(running(stubborn));
        terminals.close();
        assertFalse(running(stubborn), "the SIGTERM-ignoring grandchild survived close()");
        assertTrue(terminals.ids().isEmpty());
        assertThrows(CapabilityException.class, () -> terminals.create("true", List.of(), Map.of(), null, null));
    }

    @Test
    void unknownIdIsAnError() {
        assertEquals(CapabilityException.INVALID_PARAMS,
                assertThrows(CapabilityException.class, () -> terminals.output("nope")).code());
        assertThrows(CapabilityException.class, () -> terminals.waitForExit("nope"));
        assertThrows(CapabilityException.class, () -> terminals.kill("nope"));
        assertThrows(CapabilityException.class, () -> terminals.release("nope"));
    }
}
