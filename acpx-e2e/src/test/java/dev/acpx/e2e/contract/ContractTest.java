package dev.acpx.e2e.contract;

import static dev.acpx.e2e.contract.Contract.step;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in output contract (issue 12): every local command of the first wave, in text, json
 * and quiet, run with the Node acpx 0.19.1 and with ours in fresh homes against the shared mock
 * agent; stdout, stderr and the exit code must agree after normalising ids, timestamps, pids,
 * uptimes, byte counts and the home folder. Deliberate differences are declared per step and
 * listed in docs/COMPATIBILITY.md ({@code ## Output}).
 */
class ContractTest {
    static final String[] FORMATS = {"text", "json", "quiet"};

    @TempDir
    Path tmp;

    @BeforeAll
    static void referenceInstalled() {
        // bin/test installs it; a missing reference must fail the suite, never skip it.
        assertTrue(Files.isRegularFile(Contract.MOCK_AGENT), "the mock agent is missing at " + Contract.MOCK_AGENT
                + "; run the tests through bin/test, which prepares .test-env");
        assertTrue(Files.isRegularFile(Contract.NODE_ACPX), "the Node acpx 0.19.1 is missing at " + Contract.NODE_ACPX
                + "; bin/test installs it from acpx-e2e/contract (npm); rerun bin/test");
    }

    private static List<String> fmt(String format, String... args) {
        List<String> all = new ArrayList<>();
        if (!format.equals("text")) {
            all.add("--format");
            all.add(format);
        }
        all.addAll(List.of(args));
        return all;
    }

    static Step step(String format, String... args) {
        return new Step(fmt(format, args));
    }

    /** Ours records the agent's real exit code where the Node acpx 0.19.1 records null. */
    private static final UnaryOperator<String> REAL_EXIT = s -> s.replace("lastExitCode: -", "lastExitCode: 0")
            .replace("\"lastAgentExitCode\":null", "\"lastAgentExitCode\":0");

    private static UnaryOperator<String> mode(String mode) {
        return s -> s.replace("mode: -", "mode: " + mode);
    }

    /**
     * After a prompt the Node acpx has journaled the turn (SPEC-P2 §1: {@code lastSeq},
     * {@code lastRequestId}, {@code eventLog.last_write_at}); ours writes no journal yet.
     */
    private static final UnaryOperator<String> NO_JOURNAL = s -> s.replaceAll("\"lastSeq\":\\d+", "\"lastSeq\":0")
            .replace("\"lastRequestId\":\"<ID>\",", "").replace("\"last_write_at\":\"<TS>\",", "");

    @Test
    void localCommandsWithAConfiguredAgent() throws Exception {
        try (Contract c = new Contract(tmp).withMockAgent("")) {
            try {
                noSession(c);
                withSession(c);
                warmOwner(c);
                closingAndPruning(c);
            } finally {
                c.tidy("mock", "sessions", "close", "foo");
                c.tidy("mock", "sessions", "close");
                System.out.println(c.summary("local commands"));
                assertNoLeftovers(c);
            }
            assertTrue(c.failures.isEmpty(), String.join("\n\n", c.failures));
        }
    }

    private static void noSession(Contract c) throws Exception {
        for (String f : FORMATS) {
            c.check(step(f, "mock", "status"));
            c.check(step(f, "mock", "sessions", "show"));
            c.check(step(f, "mock", "set-mode", "plan"));
            c.check(step(f, "mock", "cancel"));
            c.check(step(f, "mock", "prompt", "echo hi"));
        }
        c.check(step("text", "mock", "sessions", "list"));
        c.check(step("json", "mock", "sessions"));
        c.check(step("json", "mock", "sessions", "close"));
        c.check(step("text", "mock", "sessions", "history"));
        c.check(step("json", "mock", "sessions", "list", "--local", "--cursor", "abc"));
        c.check(step("text", "mock", "sessions", "list", "--cursor", "abc"));
    }

    private static void withSession(Contract c) throws Exception {
        for (String f : FORMATS) {
            c.check(step(f, "mock", "sessions", "new"));
        }
        for (String f : FORMATS) {
            c.check(step(f, "mock", "sessions", "ensure"));
            c.check(step(f, "mock", "status").out(mode("default")).deviates("status shows the agent's mode"));
            c.check(step(f, "mock", "sessions", "show").out(REAL_EXIT).deviates("real exit code"));
            c.check(step(f, "mock", "set-mode", "plan"));
            c.check(step(f, "mock", "set", "model", "x"));
        }
        c.check(step("text", "mock", "sessions", "history"));
        c.check(step("json", "mock", "sessions", "history"));
        c.check(step("text", "mock", "set", "model", "nope"));
        c.check(step("json", "mock", "set", "model", "nope"));
        c.check(step("text", "mock", "set", "foo", "bar"));
        c.check(step("json", "mock", "set", "foo", "bar"));
        c.check(step("quiet", "mock", "set", "foo", "bar"));
        c.check(step("json", "mock", "sessions", "list").out(REAL_EXIT).deviates("real exit code"));
        c.check(step("text", "mock", "sessions", "new", "--name", "foo"));
        c.check(step("text", "mock", "sessions", "show", "foo").out(REAL_EXIT).deviates("real exit code"));
        c.check(step("quiet", "mock", "sessions", "show", "nosuch"));
        c.check(step("text", "mock", "sessions", "history", "--limit", "0").code(2).out(s -> "")
                .err(s -> "Limit must be a positive integer\n").deviates("option errors are usage errors"));
    }

    /** After a prompt the queue owner stays warm: status is running, history has the turn. */
    private static void warmOwner(Contract c) throws Exception {
        c.setUp("mock", "prompt", "echo hello world");
        for (String f : FORMATS) {
            c.check(step(f, "mock", "status").out(mode("plan")).deviates("status shows the agent's mode"));
            c.check(step(f, "mock", "sessions", "history"));
        }
        c.check(step("json", "mock", "cancel"));
        c.check(step("json", "mock", "set-mode", "default"));
        c.check(step("json", "mock", "set", "model", "y"));
    }

    private static void closingAndPruning(Contract c) throws Exception {
        c.check(step("json", "mock", "sessions", "close", "foo"));
        c.check(step("text", "mock", "sessions", "close"));
        c.check(step("text", "mock", "sessions", "list"));
        c.check(step("json", "mock", "sessions", "list").out(s -> REAL_EXIT.apply(NO_JOURNAL.apply(s)))
                .deviates("real exit code").deviates("no journal yet"));
        c.check(step("quiet", "mock", "sessions", "list"));
        c.check(step("text", "mock", "sessions", "prune", "--dry-run"));
        c.check(step("json", "mock", "sessions", "prune", "--dry-run"));
        c.check(step("text", "mock", "sessions", "prune", "--older-than", "3"));
        c.check(step("text", "mock", "sessions", "prune"));
        for (String f : FORMATS) {
            c.check(step(f, "mock", "sessions", "prune"));
        }
    }

    /** The streamed output of exec and prompt turns (text, json, quiet), see {@link StreamSteps}. */
    @Test
    void streamedTurns() throws Exception {
        try (Contract c = new Contract(tmp).withMockAgent("")) {
            try {
                StreamSteps.files(c);
                StreamSteps.exec(c);
                StreamSteps.prompt(c);
                StreamSteps.resume(c);
            } finally {
                c.tidy("mock", "sessions", "close", "foo");
                c.tidy("mock", "sessions", "close");
                System.out.println(c.summary("streamed turns"));
                assertNoLeftovers(c);
            }
            assertTrue(c.failures.isEmpty(), String.join("\n\n", c.failures));
        }
    }

    /** A raw --agent has no name: ours names its command where the Node acpx says "codex". */
    @Test
    void rawAgentIsNamedByItsCommand() throws Exception {
        String cmd = Contract.mockCommand();
        UnaryOperator<String> named = s -> s.replace("[acpx] agent: codex", "[acpx] agent: " + cmd)
                .replace("and agent codex", "and agent " + cmd)
                .replace("acpx codex sessions new", "acpx --agent '" + cmd + "' sessions new");
        try (Contract c = new Contract(tmp)) {
            try {
                c.check(step("text", "--agent", cmd, "sessions", "show").err(named).deviates("raw agent named by its command"));
                c.check(step("json", "--agent", cmd, "prompt", "echo hi").out(named).deviates("raw agent named by its command"));
                c.check(step("quiet", "--agent", cmd, "sessions", "history").err(named)
                        .deviates("raw agent named by its command"));
                c.check(step("text", "--agent", cmd, "sessions", "new").err(named).deviates("raw agent named by its command"));
                c.check(step("text", "--agent", cmd, "status").out(mode("default")).deviates("status shows the agent's mode"));
            } finally {
                c.tidy("--agent", cmd, "sessions", "close");
                System.out.println(c.summary("raw agent"));
                assertNoLeftovers(c);
            }
            assertTrue(c.failures.isEmpty(), String.join("\n\n", c.failures));
        }
    }

    /** SPEC-P2 §3: an agent that offers session/list is asked; paging and filters go to it. */
    @Test
    void sessionsListAsksTheAgent() throws Exception {
        try (Contract c = new Contract(tmp).withMockAgent("")) {
            c.node.env.put("MOCK_AGENT_LIST", "1");
            c.ours.env.put("MOCK_AGENT_LIST", "1");
            try {
                for (String f : FORMATS) {
                    c.check(step(f, "mock", "sessions"));
                }
                c.setUp("mock", "sessions", "new");
                c.check(step("text", "mock", "sessions", "list"));
                c.check(step("json", "mock", "sessions", "list"));
                c.check(step("json", "mock", "sessions", "list", "--filter-cwd", "."));
                c.check(step("text", "mock", "sessions", "list", "--filter-cwd", "/nowhere"));
            } finally {
                c.tidy("mock", "sessions", "close");
                System.out.println(c.summary("agent session/list"));
                assertNoLeftovers(c);
            }
            assertTrue(c.failures.isEmpty(), String.join("\n\n", c.failures));
        }
    }

    /** config init/show (SPEC-P2 §12), disableExec, and the prompt input errors of exec. */
    @Test
    void configAndExecErrors() throws Exception {
        try (Contract c = new Contract(tmp)) {
            try {
                c.check(step("text", "config", "init"));
                for (String f : FORMATS) {
                    c.check(step(f, "config", "init"));
                    c.check(step(f, "config", "show").prettyJson(!f.equals("json")));
                }
                c.node.withMockAgent(Contract.mockCommand(), ",\"disableExec\":true");
                c.ours.withMockAgent(Contract.mockCommand(), ",\"disableExec\":true");
                for (String f : FORMATS) {
                    c.check(step(f, "mock", "exec", "echo hi"));
                }
                c.node.withMockAgent(Contract.mockCommand(), "");
                c.ours.withMockAgent(Contract.mockCommand(), "");
                c.check(step("text", "mock", "exec"));
                c.check(step("json", "mock", "exec"));
            } finally {
                System.out.println(c.summary("config and exec errors"));
                assertNoLeftovers(c);
            }
            assertTrue(c.failures.isEmpty(), String.join("\n\n", c.failures));
        }
    }

    /**
     * Nothing either side started may outlive the scenario: closed sessions take their owners
     * and agents along. Whatever is left is ended, and it fails the test if it is ours.
     */
    private static void assertNoLeftovers(Contract c) throws Exception {
        List<ProcessHandle> left = marked(c.marker);
        for (long deadline = System.currentTimeMillis() + 15_000; !left.isEmpty() && System.currentTimeMillis() < deadline; ) {
            Thread.sleep(100);
            left = marked(c.marker);
        }
        List<String> ours = new ArrayList<>();
        for (ProcessHandle p : left) {
            String cmd = p.info().commandLine().orElse("?");
            if (cmd.contains("dev.acpx") || cmd.contains("acpx.jar")) {
                ours.add(p.pid() + " " + cmd);
            }
            p.destroyForcibly();
        }
        assertTrue(ours.isEmpty(), "our processes outlived the scenario: " + ours);
    }

    private static List<ProcessHandle> marked(String marker) throws java.io.IOException {
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                try {
                    String environ = new String(Files.readAllBytes(dir.resolve("environ")), StandardCharsets.UTF_8);
                    String stat = Files.readString(dir.resolve("stat"));
                    boolean zombie = stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
                    if (!zombie && environ.contains("ACPX_TEST_MARKER=" + marker)) {
                        ProcessHandle.of(Long.parseLong(dir.getFileName().toString())).ifPresent(found::add);
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }
}
