package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACP surface that became stable in 2026 (schema of {@code @agentclientprotocol/sdk} 2.4.0),
 * end to end through {@code bin/acpx} against {@link SurfaceAgent}: each new update rendered as one
 * line in text and shown verbatim in json, the capabilities we advertise, elicitations asked on a
 * terminal (exec and, through the queue owner, prompt) and declined without one, the title and
 * usage kept in the record, and {@code session/close} received before the agent's stdin ends.
 */
@Timeout(300)
class AcpSurfaceTest {
    static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path root;
    Acpx acpx;

    @BeforeEach
    void home() throws Exception {
        acpx = new Acpx(root);
        Files.createDirectories(acpx.cwd.resolve(".git"));
    }

    @AfterEach
    void nothingLeft() throws Exception {
        acpx.run("--agent", surface(), "sessions", "close");
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 10000), "processes left behind");
    }

    static String surface() throws Exception {
        return Acpx.javaAgent(SurfaceAgent.class);
    }

    Acpx.Result exec(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--agent", surface()));
        all.addAll(List.of(args));
        return acpx.run(null, LIMIT, all.toArray(String[]::new));
    }

    List<String> agentLog() throws Exception {
        Path log = acpx.cwd.resolve(SurfaceAgent.LOG);
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void eachNewUpdateIsOneLineInText() throws Exception {
        Acpx.Result r = exec("exec", "signals");
        assertEquals(0, r.code(), r::toString);
        for (String line : List.of(
                "[usage] context 1200/200000 tokens, input 11, output 22, total 33, cost 0.0123 USD",
                "[session] title: Surface title",
                "[notice] warning: Rate limit is close",
                "[compaction] in_progress",
                "[compaction] summary: Older turns summarized",
                "[compaction] completed: Two turns kept",
                "[tool] surface_tool (completed)")) {
            assertTrue(r.out().lines().anyMatch(line::equals), () -> "no line \"" + line + "\" in\n" + r);
        }
        assertTrue(r.out().contains("signals sent"), r::toString);
    }

    @Test
    void jsonShowsEachUpdateVerbatimAndTheCapabilitiesWeOffer() throws Exception {
        Acpx.Result r = exec("--format", "json", "exec", "signals");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        for (String update : SurfaceAgent.SIGNALS) {
            String wire = "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\""
                    + SurfaceAgent.SESSION_ID + "\",\"update\":" + update + "}}";
            assertTrue(lines.contains(wire), () -> "not verbatim: " + wire + "\n" + r);
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode init = mapper.readTree(lines.stream().filter(l -> l.contains("\"method\":\"initialize\""))
                .findFirst().orElseThrow(() -> new AssertionError("no initialize in " + r)));
        JsonNode caps = init.path("params").path("clientCapabilities");
        assertEquals(mapper.readTree("{\"compaction\":{},\"notices\":{}}"), caps.path("session"), r::toString);
        assertEquals(mapper.readTree("{\"form\":{},\"url\":{}}"), caps.path("elicitation"), r::toString);
    }

    @Test
    void sessionCloseArrivesBeforeTheAgentIsStopped() throws Exception {
        Acpx.Result r = exec("exec", "hello");
        assertEquals(0, r.code(), r::toString);
        List<String> log = agentLog();
        assertTrue(log.contains("session/close") && log.contains("eof"), () -> log + "\n" + r);
        assertTrue(log.indexOf("session/prompt") < log.indexOf("session/close")
                && log.indexOf("session/close") < log.indexOf("eof"), log::toString);
    }

    @Test
    void elicitationsAreDeclinedWithoutATerminal() throws Exception {
        Acpx.Result form = exec("exec", "form");
        assertEquals(0, form.code(), form::toString);
        assertTrue(form.out().contains("elicitation -> {\"action\":\"decline\"}"), form::toString);
        assertTrue(form.out().lines().anyMatch("[elicitation] Who are you? (form: decline)"::equals), form::toString);
        Acpx.Result url = exec("--approve-all", "exec", "url");
        assertTrue(url.out().contains("elicitation -> {\"action\":\"decline\"}"), url::toString);
    }

    @Test
    void aFormIsAnsweredOnTheTerminalOfExec() throws Exception {
        try (Pty pty = Pty.start(acpx, List.of("--agent", surface(), "exec", "form"))) {
            pty.await("Your name (string, required): ", 1, LIMIT);
            assertTrue(pty.seen().contains("[elicitation] Who are you?"), pty::seen);
            pty.type("Ada");
            pty.await("How many (integer): ", 1, LIMIT);
            pty.type("3");
            assertEquals(0, pty.exit(LIMIT), pty::seen);
            assertTrue(pty.seen().contains("elicitation -> {\"action\":\"accept\",\"content\":{\"name\":\"Ada\",\"count\":3}}"),
                    pty::seen);
        }
    }

    @Test
    void aUrlIsConfirmedOnTheTerminal() throws Exception {
        try (Pty pty = Pty.start(acpx, List.of("--agent", surface(), "exec", "url"))) {
            pty.await("Done there? (y/N) ", 1, LIMIT);
            assertTrue(pty.seen().contains("open: https://example.invalid/login"), pty::seen);
            pty.type("y");
            assertEquals(0, pty.exit(LIMIT), pty::seen);
            assertTrue(pty.seen().contains("elicitation -> {\"action\":\"accept\"}"), pty::seen);
        }
    }

    @Test
    void promptAsksTheCallersTerminalThroughTheQueueOwner() throws Exception {
        Acpx.Result created = exec("sessions", "new");
        assertEquals(0, created.code(), created::toString);
        try (Pty pty = Pty.start(acpx, List.of("--agent", surface(), "prompt", "form"))) {
            pty.await("Your name (string, required): ", 1, LIMIT);
            pty.type("Grace");
            pty.await("How many (integer): ", 1, LIMIT);
            pty.type("");
            assertEquals(0, pty.exit(LIMIT), pty::seen);
            assertTrue(pty.seen().contains("elicitation -> {\"action\":\"accept\",\"content\":{\"name\":\"Grace\"}}"),
                    pty::seen);
        }
    }

    @Test
    void titleAndUsageGoIntoTheRecordAndCloseReachesTheOwnersAgent() throws Exception {
        assertEquals(0, exec("sessions", "new").code());
        Acpx.Result turn = exec("prompt", "signals");
        assertEquals(0, turn.code(), turn::toString);
        JsonNode record;
        try (Stream<Path> files = Files.list(acpx.home.resolve(".acpx/sessions"))) {
            Path file = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            record = new ObjectMapper().readTree(file.toFile());
        }
        assertEquals("Surface title", record.path("title").asText(), record::toString);
        assertEquals(33, record.path("cumulative_token_usage").path("total_tokens").asInt(), record::toString);
        assertEquals("USD", record.path("cumulative_cost").path("currency").asText(), record::toString);
        Acpx.Result status = exec("status");
        assertEquals(0, status.code(), status::toString);
        assertTrue(status.out().lines().anyMatch("title: Surface title"::equals), status::toString);
        assertTrue(status.out().lines().anyMatch(
                "usage: context 1200/200000 tokens, input 11, output 22, total 33, cost 0.0123 USD"::equals),
                status::toString);
        JsonNode json = new ObjectMapper().readTree(exec("--format", "json", "status").out());
        assertEquals(33, json.path("usage").path("tokens").path("total_tokens").asInt(), json::toString);
        assertEquals(200000, json.path("usage").path("context").path("size").asInt(), json::toString);
        Acpx.Result closed = exec("sessions", "close");
        assertEquals(0, closed.code(), closed::toString);
        long end = System.nanoTime() + LIMIT.toNanos();
        // The owner's agent logs eof once it is stopped (the log also holds the sessions-new agent's lines).
        while (agentLog().lastIndexOf("eof") < agentLog().lastIndexOf("session/prompt") && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        List<String> log = agentLog();
        int lastPrompt = log.lastIndexOf("session/prompt");
        assertTrue(lastPrompt >= 0 && log.subList(lastPrompt, log.size()).contains("session/close")
                && log.lastIndexOf("session/close") < log.lastIndexOf("eof"), log::toString);
    }
}
