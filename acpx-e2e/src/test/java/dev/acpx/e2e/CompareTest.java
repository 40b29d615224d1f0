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
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compare} (SPEC-P2 §4) through {@code bin/acpx} against real agents (the shared mock agent,
 * the demo agent, {@link SurfaceAgent}), registered in config as {@code mock} and {@code surface}:
 * rows, statuses, exit codes, the three formats, the usage errors, and {@code --parallel}.
 */
@Timeout(600)
class CompareTest {
    static final Duration LIMIT = Duration.ofSeconds(180);
    static final String HEADER = "agent    status  wall_ms  input  output  total  permissions  stop_reason  final_message"
            + "  error";

    @TempDir
    Path root;
    Acpx acpx;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void home() throws Exception {
        acpx = new Acpx(root);
        Files.createDirectories(acpx.cwd.resolve(".git"));
        config("");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 10000), "processes left behind");
        assertTrue(!Files.exists(acpx.home.resolve(".acpx/sessions")) || isEmpty(acpx.home.resolve(".acpx/sessions")),
                "compare runs are one-shot: no record is kept");
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.noneMatch(p -> p.toString().endsWith(".json"));
        }
    }

    void config(String extra) throws Exception {
        Files.createDirectories(acpx.home.resolve(".acpx"));
        Files.writeString(acpx.home.resolve(".acpx/config.json"), "{" + extra + "\"agents\":{"
                + "\"mock\":{\"command\":" + mapper.writeValueAsString(Acpx.mockAgent()) + "},"
                + "\"surface\":{\"command\":" + mapper.writeValueAsString(AcpSurfaceTest.surface()) + "}}}");
    }

    Acpx.Result run(String... args) throws Exception {
        return acpx.run(null, LIMIT, args);
    }

    JsonNode rows(Acpx.Result r) throws Exception {
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), r::toString);
        JsonNode rows = mapper.readTree(lines.getFirst());
        assertTrue(rows.isArray(), r::toString);
        return rows;
    }

    @Test
    void textTableWithOneRowPerAgentInOrder() throws Exception {
        Acpx.Result r = run("--approve-all", "compare", "mock", "surface", "echo hello there");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r::toString);
        assertEquals(HEADER, lines.get(0), r::toString);
        assertTrue(lines.get(1).matches("-------  ------  -{7,}  -----  ------  -----  -----------  -----------  "
                + "-------------  -----"), r::toString);
        assertTrue(lines.get(2).matches("mock     ok      \\d+ +-      -       -      0/0          end_turn     hello there"
                + " +-"), r::toString);
        assertTrue(lines.get(3).matches("surface  ok      \\d+ +-      -       -      0/0          end_turn     ok +-"),
                r::toString);
    }

    @Test
    void jsonRowsCarryUsageAndKeysInTheNodeOrder() throws Exception {
        Acpx.Result r = run("--format", "json", "compare", "surface", "mock", "--", "signals");
        assertEquals(0, r.code(), r::toString);
        JsonNode rows = rows(r);
        assertEquals(2, rows.size(), r::toString);
        List<String> keys = new ArrayList<>();
        rows.get(0).fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("agent", "status", "stop_reason", "wall_ms", "input_tokens", "output_tokens",
                "total_tokens", "final_message", "error", "permission_requests", "permission_denied", "_meta"), keys);
        JsonNode s = rows.get(0);
        assertEquals("{\"surface\":{\"turn\":1}}", s.path("_meta").toString(), "the prompt response's _meta");
        assertEquals("surface", s.path("agent").asText());
        assertEquals("ok", s.path("status").asText());
        assertEquals(11, s.path("input_tokens").asInt(), r::toString);
        assertEquals(22, s.path("output_tokens").asInt(), r::toString);
        assertEquals(33, s.path("total_tokens").asInt(), r::toString);
        assertEquals("signals sent", s.path("final_message").asText(), r::toString);
        JsonNode m = rows.get(1);
        assertEquals("mock", m.path("agent").asText());
        assertTrue(m.path("input_tokens").isNull(), r::toString);
        assertTrue(m.path("error").isNull(), r::toString);
        assertFalse(m.has("_meta"), "no _meta when the response had none: " + r);
        assertEquals("ok: signals", m.path("final_message").asText(), r::toString);
    }

    @Test
    void quietPrintsAgentAndStatus() throws Exception {
        Acpx.Result r = run("compare", "--format", "quiet", "mock", "demo", "echo hi");
        // approve-reads without a TTY: the demo agent's write is refused, a permission_denied row, exit 5.
        assertEquals(5, r.code(), r::toString);
        assertEquals("mock\tok\ndemo\tpermission_denied\n", r.out(), r::toString);
    }

    @Test
    void exitCodesFollowTheWorstRow() throws Exception {
        Acpx.Result timeout = run("--timeout", "1", "--format", "json", "compare", "mock", "slow 20000");
        assertEquals(3, timeout.code(), timeout::toString);
        JsonNode row = rows(timeout).get(0);
        assertEquals("cancelled", row.path("status").asText(), timeout::toString);
        assertEquals("Timed out after 1000ms", row.path("error").asText(), timeout::toString);
        assertTrue(row.path("stop_reason").isNull(), timeout::toString);

        Acpx.Result error = run("--format", "json", "compare", "mock", "no-such-agent-acpx-test", "echo x");
        assertEquals(1, error.code(), error::toString);
        JsonNode rows = rows(error);
        assertEquals("ok", rows.get(0).path("status").asText());
        assertEquals("error", rows.get(1).path("status").asText());
        assertTrue(rows.get(1).path("error").asText().contains("no-such-agent-acpx-test"), error::toString);

        Acpx.Result denied = run("--deny-all", "--format", "json", "compare", "mock", "write out.txt hi");
        assertEquals(5, denied.code(), denied::toString);
        JsonNode d = rows(denied).get(0);
        assertEquals("permission_denied", d.path("status").asText(), denied::toString);
        assertEquals(1, d.path("permission_requests").asInt(), denied::toString);
        assertEquals(1, d.path("permission_denied").asInt(), denied::toString);
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        Iterator<String[]> cases = List.of(
                new String[] {"compare", "mock"},
                new String[] {"--agent", Acpx.mockAgent(), "compare", "mock", "hi"},
                new String[] {"compare", "--file", "a.txt", "--prompt-file", "b.txt", "mock"},
                new String[] {"compare", "--", "hi"},
                new String[] {"compare", "--bogus", "mock", "hi"}).iterator();
        List<String> messages = List.of("Usage: acpx compare <agent>... '<prompt>'",
                "Do not combine compare with --agent; pass agent names",
                "Use only one prompt file flag: --file or --prompt-file",
                "At least one agent is required",
                "--bogus");
        for (String message : messages) {
            Acpx.Result r = run(cases.next());
            assertEquals(2, r.code(), r::toString);
            assertTrue(r.err().contains(message), r::toString);
        }
        Acpx.Result json = run("--format", "json", "compare", "mock");
        assertEquals(2, json.code(), json::toString);
        JsonNode error = mapper.readTree(json.out().strip());
        assertEquals("USAGE", error.path("error").path("data").path("acpxCode").asText(), json::toString);
    }

    @Test
    void promptFromAFileAndDisabledByConfig() throws Exception {
        Files.writeString(acpx.cwd.resolve("prompt.txt"), "echo from file\n");
        Acpx.Result r = run("compare", "--format", "json", "-f", "prompt.txt", "mock", "mock");
        assertEquals(0, r.code(), r::toString);
        assertEquals("from file", rows(r).get(1).path("final_message").asText(), r::toString);
        config("\"disableExec\":true,");
        Acpx.Result off = run("compare", "mock", "echo x");
        assertEquals(1, off.code(), off::toString);
        assertTrue(off.err().contains("compare subcommand is disabled by configuration (disableExec: true)"),
                off::toString);
    }

    @Test
    void anInterruptEndsTheRunningAgentAndAdmitsNoOther() throws Exception {
        Process p = acpx.start(null, "--format", "quiet", "compare", "mock", "mock", "slow 60000");
        long end = System.nanoTime() + LIMIT.toNanos();
        // Once the first agent is under way (its turn takes a minute), stop acpx as a terminal would.
        while (Procs.withMarker(acpx.marker).stream().noneMatch(l -> l.contains("agent.mjs"))) {
            assertTrue(System.nanoTime() < end && p.isAlive(), "the first agent never started");
            Thread.sleep(50);
        }
        Thread.sleep(1000);
        p.toHandle().destroy(); // SIGTERM: the same path as Ctrl+C's SIGINT
        assertTrue(p.waitFor(LIMIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "acpx did not stop");
        Acpx.Result r = new Acpx.Result(p.exitValue(), acpx.read(p, "out"), acpx.read(p, "err"));
        assertEquals(130, r.code(), r::toString);
        assertEquals("mock\tcancelled\n", r.out(), r::toString);
    }

    @Test
    void parallelRunsTheAgentsAtOnce() throws Exception {
        // Each agent waits (up to 60 s) until two of them are running: only a real parallel run meets.
        Acpx.Result r = run("--format", "json", "compare", "--parallel", "surface", "surface", "barrier 2 60000");
        assertEquals(0, r.code(), r::toString);
        JsonNode rows = rows(r);
        assertEquals("met", rows.get(0).path("final_message").asText(), r::toString);
        assertEquals("met", rows.get(1).path("final_message").asText(), r::toString);
    }

    @Test
    void parallelStaysWithinTheHostWideLimit() throws Exception {
        config("\"maxConcurrentSessions\":1,");
        Acpx.Result r = run("--format", "quiet", "compare", "--parallel", "surface", "mock", "surface",
                "barrier 2 3000");
        assertEquals(0, r.code(), r::toString);
        assertEquals("surface\tok\nmock\tok\nsurface\tok\n", r.out(), r::toString);
        Acpx.Result json = run("--format", "json", "compare", "--parallel", "surface", "surface", "barrier 2 3000");
        JsonNode rows = rows(json);
        assertEquals("alone", rows.get(0).path("final_message").asText(), json::toString);
        assertEquals("alone", rows.get(1).path("final_message").asText(), json::toString);
    }
}
