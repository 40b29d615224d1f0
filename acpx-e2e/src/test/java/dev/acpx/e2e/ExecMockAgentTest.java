package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code acpx exec} against the shared mock agent: every script, and nothing left running after. */
class ExecMockAgentTest {
    @TempDir
    Path tmp;
    Acpx acpx;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
    }

    @AfterEach
    void nothingLeft() throws Exception {
        List<String> left = Procs.awaitNone(acpx.marker, 3000);
        assertTrue(left.isEmpty(), "processes left behind: " + left);
        List<String> violations = Invariants.violations(acpx.home, acpx.marker);
        assertTrue(violations.isEmpty(), "SPEC §9 invariants violated: " + violations);
    }

    private Acpx.Result exec(String... words) throws Exception {
        String[] args = new String[words.length + 3];
        args[0] = "--agent";
        args[1] = Acpx.mockAgent();
        args[2] = "exec";
        System.arraycopy(words, 0, args, 3, words.length);
        return acpx.run(args);
    }

    @Test
    void echoStreamsTheAnswerAndEndsTheTurn() throws Exception {
        Acpx.Result r = exec("echo hello from the mock agent");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("hello from the mock agent"), r::toString);
        assertTrue(r.out().contains("[done] end_turn"), r::toString);
    }

    @Test
    void streamOf500ChunksArrivesWhole() throws Exception {
        Acpx.Result r = exec("stream 500");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("chunk 1\n"), r::toString);
        assertTrue(r.out().contains("chunk 500\n"), r::toString);
        assertEquals(500, r.out().lines().filter(l -> l.startsWith("chunk ")).count());
    }

    @Test
    void readsAFileInCwd() throws Exception {
        Files.writeString(acpx.cwd.resolve("notes.txt"), "first line of notes\nsecond\n");
        Acpx.Result r = exec("read notes.txt");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("first line of notes"), r::toString);
        assertTrue(r.out().contains("[tool] Read"), r::toString);
    }

    @Test
    void refusesReadsOutsideCwd() throws Exception {
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "top secret\n");
        Files.createSymbolicLink(acpx.cwd.resolve("link.txt"), outside);
        for (String target : new String[] {"../secret.txt", outside.toString(), "link.txt", "/proc/self/environ"}) {
            Acpx.Result r = exec("read " + target);
            assertEquals(0, r.code(), r::toString);
            assertFalse(r.out().contains("top secret"), "leaked " + target + ": " + r);
            assertTrue(r.out().contains("read failed"), "not refused: " + target + ": " + r);
        }
    }

    @Test
    void writeUnderApproveAllIsDone() throws Exception {
        Acpx.Result r = acpx.run("--approve-all", "--agent", Acpx.mockAgent(), "exec", "write out.txt hi there");
        assertEquals(0, r.code(), r::toString);
        assertEquals("hi there", Files.readString(acpx.cwd.resolve("out.txt")));
    }

    @Test
    void writeUnderDenyAllIsRefusedWithExit5() throws Exception {
        Acpx.Result r = acpx.run("--deny-all", "--agent", Acpx.mockAgent(), "exec", "write out.txt hi");
        assertEquals(5, r.code(), r::toString);
        assertFalse(Files.exists(acpx.cwd.resolve("out.txt")));
    }

    @Test
    void writeUnderApproveReadsWithoutTtyIsDenied() throws Exception {
        Acpx.Result r = exec("write out.txt hi");
        assertEquals(5, r.code(), r::toString);
        assertFalse(Files.exists(acpx.cwd.resolve("out.txt")));
    }

    @Test
    void writeUnderApproveReadsWithFailPolicyAborts() throws Exception {
        Acpx.Result r = acpx.run("--non-interactive-permissions", "fail", "--agent", Acpx.mockAgent(),
                "exec", "write out.txt hi");
        assertEquals(5, r.code(), r::toString);
        assertTrue(r.err().contains("no TTY"), r::toString);
        assertFalse(Files.exists(acpx.cwd.resolve("out.txt")));
    }

    @Test
    void terminalRunsInCwd() throws Exception {
        // A terminal needs a yes since issue 11: approve-all gives it.
        Acpx.Result r = acpx.run("--approve-all", "--agent", Acpx.mockAgent(), "exec", "terminal pwd && echo term-ok");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("term-ok"), r::toString);
        assertTrue(r.out().contains(acpx.cwd.toRealPath().toString()), r::toString);
    }

    @Test
    void planIsRendered() throws Exception {
        Acpx.Result r = exec("plan");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("[plan]"), r::toString);
        assertTrue(r.out().contains("  - [completed] Inspect the repository"), r::toString);
        assertTrue(r.out().contains("plan ready"), r::toString);
    }

    @Test
    void crashExits1WithTheAgentsExitCode() throws Exception {
        Acpx.Result r = exec("crash");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("exit code 3"), r::toString);
    }

    @Test
    void hangWithTimeoutExits3() throws Exception {
        Acpx.Result r = acpx.run("--timeout", "2", "--agent", Acpx.mockAgent(), "exec", "hang");
        assertEquals(3, r.code(), r::toString);
        assertTrue(r.err().toLowerCase().contains("timed out"), r::toString);
    }

    @Test
    void agentStartedThroughShWrapperIsEndedWithItsTree() throws Exception {
        Acpx.Result r = acpx.run("--timeout", "1.5", "--agent", "sh -c 'node " + Acpx.MOCK_AGENT + "'", "exec", "hang");
        assertEquals(3, r.code(), r::toString);
    }

    @Test
    void malformedAgentOutputIsSkipped() throws Exception {
        String agent = "sh -c 'echo this is not json; echo \"[1,2]\"; echo \"{\\\"jsonrpc\\\":\\\"2.0\\\",\\\"id\\\":999,\\\"result\\\":{}}\"; exec node "
                + Acpx.MOCK_AGENT + "'";
        Acpx.Result r = acpx.run("--agent", agent, "exec", "echo still fine");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("still fine"), r::toString);
    }

    @Test
    void quietPrintsOnlyTheAnswer() throws Exception {
        Acpx.Result r = acpx.run("--format", "quiet", "--agent", Acpx.mockAgent(), "exec", "echo just this");
        assertEquals(0, r.code(), r::toString);
        assertEquals("just this\n", r.out());
    }

    @Test
    void promptFromStdinAndFromFile() throws Exception {
        Acpx.Result r = acpx.run("echo from stdin", java.time.Duration.ofSeconds(60),
                "--format", "quiet", "--agent", Acpx.mockAgent(), "exec");
        assertEquals(0, r.code(), r::toString);
        assertEquals("from stdin\n", r.out());
        Files.writeString(acpx.cwd.resolve("p.txt"), "echo from file");
        r = acpx.run("--format", "quiet", "--agent", Acpx.mockAgent(), "exec", "-f", "p.txt");
        assertEquals(0, r.code(), r::toString);
        assertEquals("from file\n", r.out());
    }

    @Test
    void sigtermDuringATurnExits130AndEndsTheAgent() throws Exception {
        Process p = acpx.start(null, "--agent", Acpx.mockAgent(), "exec", "slow 20000");
        long deadline = System.currentTimeMillis() + 20000;
        while (System.currentTimeMillis() < deadline && !acpx.read(p, "out").contains("working for")) {
            Thread.sleep(50);
        }
        assertTrue(acpx.read(p, "out").contains("working for"), "turn did not start");
        assertFalse(Procs.withMarker(acpx.marker).stream().noneMatch(s -> s.contains("agent.mjs")));
        ProcessHandle.of(p.pid()).orElseThrow().destroy();
        assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(130, p.exitValue());
    }
}
