package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sessions watch} in text against the Node acpx 0.19.1: journaled turns with tool calls,
 * plans, thoughts, client operations and a refused permission, watched by both tools, must print
 * the same bytes, since both render each message with their live prompt's text formatter.
 */
class WatchTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: a shared, loaded machine runs each command in seconds to tens of seconds. */
    private static final Duration LIMIT = Duration.ofSeconds(180);
    private static final Path NODE_ACPX = Acpx.TEST_ENV.resolve("node-acpx/node_modules/acpx/dist/cli.js");

    @TempDir
    Path tmp;
    Acpx acpx;

    /** The first bin/acpx of a fresh build trains its start-up cache: not within any test's limits. */
    @BeforeAll
    static void warmUp(@TempDir Path dir) throws Exception {
        new Acpx(dir).run(null, Duration.ofMinutes(5), "--help");
    }

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        acpx.env.put("ACPX_DEMO_STATE", tmp.resolve("demo-state").toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String agent : List.of(Acpx.mockAgent(), demoAgent())) {
            Acpx.Result list = ours(agent, "--format", "json", "sessions", "list", "--local");
            for (JsonNode r : JSON.readTree(list.out())) {
                if (!r.path("closed").asBoolean()) {
                    ours(agent, "sessions", "close", r.path("acpxRecordId").asText());
                }
            }
        }
        List<String> left = Procs.awaitNone(acpx.marker, 15000);
        assertTrue(left.isEmpty(), "processes left behind: " + left);
    }

    @Test
    void toolCallsAndAPlanOfOurJournalWatchAsInTheNodeAcpx() throws Exception {
        Path notes = Files.writeString(acpx.cwd.resolve("notes.txt"), "first line\nsecond line\n");
        String mock = Acpx.mockAgent();
        ok(ours(mock, "sessions", "new"));
        ok(ours(mock, "--ttl", "1", "--approve-all", "prompt", "read " + notes));
        ok(ours(mock, "--ttl", "1", "prompt", "plan"));
        ok(ours(mock, "sessions", "close"));
        Procs.awaitNone(acpx.marker, 20000);

        String text = bothWatchAlike(mock);
        assertTrue(text.contains("[tool] Read " + notes + " (pending)\n"), text);
        assertTrue(text.contains("[client] fs/read_text_file (running)\n"), text);
        assertTrue(text.contains("[tool] Read " + notes + " (completed)\n  kind: read\n"), text);
        assertTrue(text.contains("[plan]\n  - [completed] Inspect the repository\n"), text);
        assertTrue(text.contains("[tool] Think about the plan (completed)\n"), text);
        assertFalse(text.contains("[done]"), "the prompt's final answer is not rendered: " + text);
        assertEquals(2, count(text, "] completed: end_turn cursor="), text);
    }

    @Test
    void thoughtsPermissionsAndTerminalsOfEitherToolsJournalWatchAlike() throws Exception {
        String demo = demoAgent();
        Files.writeString(acpx.cwd.resolve("notes.txt"), "a file for the demo agent to read\n");
        // the Node acpx writes the first turn; without a TTY its default mode refuses the demo's terminal
        ok(node(demo, "sessions", "new"));
        node(demo, "--ttl", "1", "prompt", "hello from node");
        Procs.awaitNone(acpx.marker, 20000);
        ok(ours(demo, "--ttl", "1", "--approve-all", "prompt", "hello from java"));
        ok(ours(demo, "sessions", "close"));
        Procs.awaitNone(acpx.marker, 20000);

        String text = bothWatchAlike(demo);
        assertEquals(2, count(text, "[thinking] The user said "), text);
        assertEquals(2, count(text, "[plan]\n  - [in_progress] Echo the prompt\n"), text);
        assertEquals(2, count(text, "[client] fs/read_text_file (running)\n"), text);
        assertTrue(text.contains("[client] session/request_permission (running)\n"), text);
        assertTrue(text.contains("[error] RUNTIME: Permission denied for terminal/create\n"), text);
        assertTrue(text.contains("[client] terminal/create (running)\n"), text);
        assertTrue(text.contains("[tool] Run echo hello from the demo terminal (completed)\n  kind: execute\n"), text);
        assertFalse(text.contains("[done]"), text);
    }

    /** Both tools watch the closed session in text, with and without --suppress-reads: the same bytes. */
    private String bothWatchAlike(String agent) throws Exception {
        String plain = null;
        for (List<String> flags : List.of(List.<String>of(), List.of("--suppress-reads"))) {
            List<String> args = new ArrayList<>(flags);
            args.addAll(List.of("sessions", "watch"));
            Acpx.Result mine = ours(agent, args.toArray(String[]::new));
            Acpx.Result theirs = node(agent, args.toArray(String[]::new));
            ok(mine);
            ok(theirs);
            assertEquals(theirs.out(), mine.out(), "sessions watch " + flags);
            if (plain == null) {
                plain = mine.out();
            } else {
                assertTrue(mine.out().contains("[read output suppressed]"), mine::toString);
            }
        }
        return plain;
    }

    /** The demo agent as a raw command, so that the Node acpx can start it too. */
    private static String demoAgent() {
        return Path.of(System.getProperty("java.home"), "bin", "java") + " -XX:TieredStopAtLevel=1 -cp "
                + Acpx.REPO.resolve("acpx-cli/target/acpx.jar") + " dev.acpx.demo.DemoAgent";
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void ok(Acpx.Result r) {
        assertEquals(0, r.code(), r::toString);
    }

    private Acpx.Result ours(String agent, String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("--agent", agent));
        full.addAll(List.of(args));
        return acpx.run(null, LIMIT, full.toArray(String[]::new));
    }

    private Acpx.Result node(String agent, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", NODE_ACPX.toString(), "--agent", agent));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(acpx.cwd.toFile());
        pb.environment().putAll(acpx.env);
        Path out = Files.createTempFile(tmp, "node-out", ".txt");
        Path err = Files.createTempFile(tmp, "node-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("node acpx did not finish: " + cmd);
        }
        return new Acpx.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
