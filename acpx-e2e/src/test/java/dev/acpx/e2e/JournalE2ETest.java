package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session journal against the Node acpx 0.19.1 in the same HOME: journals either tool wrote
 * read alike by both (watch in json, text and quiet), archives exported by one imported by the
 * other, import conflicts, a watch following a live turn, and an owner killed mid-turn.
 */
class JournalE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: a loaded CI machine runs each command in seconds, a shared one here in tens of them. */
    private static final Duration LIMIT = Duration.ofSeconds(180);
    private static final Path NODE_ACPX = Acpx.TEST_ENV.resolve("node-acpx/node_modules/acpx/dist/cli.js");

    @TempDir
    Path tmp;
    Acpx acpx;

    /** The first bin/acpx of a fresh build trains its start-up cache: not within any test's limits. */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp(@TempDir Path dir) throws Exception {
        new Acpx(dir).run(null, Duration.ofMinutes(5), "--help");
    }

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (JsonNode r : JSON.readTree(ours("--format", "json", "sessions", "list", "--local").out())) {
            if (!r.path("closed").asBoolean()) {
                ours("sessions", "close", r.path("acpxRecordId").asText());
            }
        }
        List<String> left = Procs.awaitNone(acpx.marker, 15000);
        assertTrue(left.isEmpty(), "processes left behind: " + left);
    }

    private Acpx.Result ours(String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("--agent", Acpx.mockAgent()));
        full.addAll(List.of(args));
        return acpx.run(null, LIMIT, full.toArray(String[]::new));
    }

    private Acpx.Result node(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", NODE_ACPX.toString(), "--agent", Acpx.mockAgent()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(acpx.cwd.toFile());
        pb.environment().putAll(acpx.env);
        Path out = Files.createTempFile(tmp, "node-out", ".txt");
        Path err = Files.createTempFile(tmp, "node-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("node acpx did not finish: " + cmd);
        }
        return new Acpx.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void ok(Acpx.Result r) {
        assertEquals(0, r.code(), r::toString);
    }

    private Path sessions() {
        return acpx.home.resolve(".acpx/sessions");
    }

    private JsonNode onlyRecord() throws Exception {
        try (var files = Files.list(sessions())) {
            List<Path> records = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertEquals(1, records.size(), records::toString);
            return JSON.readTree(records.get(0).toFile());
        }
    }

    /** Both tools watch the (closed, ownerless) session; every format must read the same bytes. */
    private void bothWatchAlike() throws Exception {
        for (String format : new String[] {"json", "text", "quiet"}) {
            Acpx.Result mine = ours("--format", format, "sessions", "watch");
            Acpx.Result theirs = node("--format", format, "sessions", "watch");
            ok(mine);
            ok(theirs);
            assertEquals(theirs.out(), mine.out(), "sessions watch --format " + format);
        }
    }

    @Test
    void aJournalWrittenByTheNodeAcpxReadsTheSameInOurs() throws Exception {
        ok(node("sessions", "new"));
        ok(node("--ttl", "1", "prompt", "echo from node"));
        // the Node acpx fails a prompt (exit 1, no message) that meets its owner in its TTL exit: wait it out
        waitFor(() -> Procs.withMarker(acpx.marker).isEmpty(), 20000);
        ok(node("--ttl", "1", "prompt", "echo again"));
        ok(node("sessions", "close"));
        waitFor(() -> Procs.withMarker(acpx.marker).isEmpty(), 20000);
        Acpx.Result json = ours("--format", "json", "sessions", "watch");
        ok(json);
        List<JsonNode> events = lines(json.out());
        assertEquals("turn_started", events.get(0).path("type").asText());
        assertEquals("turn_result", events.get(events.size() - 1).path("type").asText());
        bothWatchAlike();
    }

    @Test
    void ourJournalReadsTheSameInTheNodeAcpxAndCarriesOnItsJournal() throws Exception {
        ok(ours("sessions", "new"));
        ok(ours("--ttl", "1", "prompt", "echo from java"));
        waitFor(() -> Procs.withMarker(acpx.marker).isEmpty(), 20000);
        // the Node acpx continues our journal, then ours continues the Node acpx's
        ok(node("--ttl", "1", "prompt", "echo from node"));
        waitFor(() -> Procs.withMarker(acpx.marker).isEmpty(), 20000);
        ok(ours("--ttl", "1", "prompt", "echo java again"));
        ok(ours("sessions", "close"));
        waitFor(() -> Procs.withMarker(acpx.marker).isEmpty(), 20000);
        List<JsonNode> events = lines(ours("--format", "json", "sessions", "watch").out());
        assertEquals(3, events.stream().filter(e -> e.path("type").asText().equals("turn_result")).count());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, cursorSequence(events.get(i).path("cursor").asText()));
        }
        bothWatchAlike();
        JsonNode record = onlyRecord();
        long messages = events.stream().filter(e -> e.path("type").asText().equals("message")).count();
        assertEquals(messages, record.path("last_seq").asLong(), "last_seq counts the journaled ACP messages");
    }

    @Test
    void watchFollowsALiveTurnAndResumesFromACursor() throws Exception {
        ok(ours("sessions", "new"));
        ok(ours("--ttl", "1", "prompt", "echo first"));
        ok(ours("sessions", "close"));
        Acpx.Result bad = ours("--format", "json", "sessions", "watch", "--cursor", "bad");
        assertEquals(2, bad.code(), bad::toString);
        assertEquals("WATCH_CURSOR_INVALID", JSON.readTree(bad.out()).path("error").path("data").path("detailCode").asText());
        Acpx.Result foreign = ours("sessions", "watch", "--cursor", cursor("another-record", 1));
        assertEquals(2, foreign.code(), foreign::toString);
        assertTrue(foreign.err().contains("Cursor belongs to another session"), foreign::toString);
        List<JsonNode> before = lines(ours("--format", "json", "sessions", "watch").out());
        long last = cursorSequence(before.get(before.size() - 1).path("cursor").asText());
        Acpx.Result future = ours("--format", "json", "sessions", "watch", "--cursor", cursor(recordId(), last + 5));
        assertEquals(2, future.code(), future::toString);
        assertEquals("WATCH_CURSOR_FUTURE", JSON.readTree(future.out()).path("error").path("data").path("detailCode").asText());
        assertEquals(List.of(), lines(ours("--format", "json", "sessions", "watch", "--cursor", cursor(recordId(), last)).out()));

        // a live turn: the watch started from the last cursor sees only the new turn, then ends when closed
        ok(ours("sessions", "new"));
        Process watch = acpx.start(null, "--agent", Acpx.mockAgent(), "--format", "json", "sessions", "watch");
        Acpx.Result slow = ours("prompt", "slow 1500");
        ok(slow);
        waitFor(() -> read(watch).contains("turn_result"), 30000);
        ok(ours("sessions", "close"));
        assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch ends once the session is closed");
        assertEquals(0, watch.exitValue());
        List<JsonNode> live = lines(read(watch));
        assertEquals("turn_started", live.get(0).path("type").asText());
        assertTrue(live.stream().anyMatch(e -> e.path("message").path("params").path("update").path("content")
                .path("text").asText().contains("working for 1500ms")), live::toString);
        String mid = live.get(2).path("cursor").asText();
        List<JsonNode> resumed = lines(ours("--format", "json", "sessions", "watch", "--cursor", mid).out());
        assertEquals(live.subList(3, live.size()), resumed);
    }

    @Test
    void anOwnerKilledMidTurnLeavesAnUnknownOutcomeTheWatchReportsAndTheNextOwnerSettles() throws Exception {
        ok(ours("sessions", "new"));
        Process prompt = acpx.start(null, "--agent", Acpx.mockAgent(), "prompt", "slow 60000");
        waitFor(() -> journalText().contains("working for 60000ms"), 30000);
        JsonNode record = onlyRecord();
        long owner = record.path("owner_pid").asLong();
        long agent = record.path("pid").asLong();
        assertTrue(owner > 0 && agent > 0, record::toString);
        ProcessHandle.of(owner).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(agent).ifPresent(ProcessHandle::destroyForcibly);
        // as if the kill had landed inside an append: a torn last line
        Files.writeString(sessions().resolve(record.path("acpx_record_id").asText() + ".stream.ndjson"),
                "{\"jsonrpc\":\"2.0\",\"method\":\"session/upd", StandardOpenOption.APPEND);
        assertTrue(prompt.waitFor(60, TimeUnit.SECONDS));
        waitFor(() -> !Procs.alive(owner), 20000);

        Acpx.Result watch = ours("--format", "json", "sessions", "watch");
        assertEquals(1, watch.code(), watch::toString);
        assertTrue(watch.out().contains("WATCH_OUTCOME_UNKNOWN"), watch::toString);
        assertTrue(watch.out().contains("Session owner ended without a settled result for request"), watch::toString);

        ok(ours("--ttl", "1", "prompt", "echo after the crash"));
        ok(ours("sessions", "close"));
        waitFor(() -> Procs.withMarker(acpx.marker).isEmpty(), 20000);
        List<JsonNode> events = lines(ours("--format", "json", "sessions", "watch").out());
        JsonNode settled = events.stream().filter(e -> e.path("type").asText().equals("turn_result")).findFirst().orElseThrow();
        assertEquals("WATCH_OUTCOME_UNKNOWN", settled.path("result").path("error").path("detailCode").asText());
        assertEquals("completed", events.get(events.size() - 1).path("result").path("status").asText());
        bothWatchAlike();
    }

    @Test
    void archivesMoveBetweenTheToolsAndConflictsAreRefused() throws Exception {
        ok(node("sessions", "new"));
        ok(node("--ttl", "1", "prompt", "echo node history"));
        ok(node("sessions", "close"));
        waitFor(() -> Procs.withMarker(acpx.marker).isEmpty(), 20000);
        Path nodeArchive = tmp.resolve("node.json");
        Path ourArchive = tmp.resolve("ours.json");
        ok(node("sessions", "export", "--output", nodeArchive.toString()));
        Acpx.Result exported = ours("--format", "json", "sessions", "export", "--output", ourArchive.toString());
        ok(exported);
        assertEquals("{\"action\":\"session_exported\",\"output\":\"" + ourArchive + "\"}\n", exported.out());
        assertEquals(withoutTime(Files.readString(nodeArchive)), withoutTime(Files.readString(ourArchive)));

        // into the other home: ours imports the Node archive, the Node acpx ours
        Acpx other = new Acpx(Files.createDirectories(tmp.resolve("other")));
        other.env.put("MOCK_AGENT_STATE", acpx.env.get("MOCK_AGENT_STATE"));
        Acpx.Result imported = other.run(null, LIMIT, "--agent", Acpx.mockAgent(), "--format", "json", "sessions", "import",
                nodeArchive.toString());
        ok(imported);
        JsonNode result = JSON.readTree(imported.out());
        assertEquals("session_imported", result.path("action").asText());
        Acpx.Result again = other.run(null, LIMIT, "--agent", Acpx.mockAgent(), "sessions", "import", nodeArchive.toString(),
                "--name", "copy", "--cwd", tmp.toString());
        assertEquals(2, again.code(), again::toString);
        assertTrue(again.err().contains("record " + result.path("record_id").asText()), again::toString);
        Acpx.Result scope = other.run(null, LIMIT, "--agent", Acpx.mockAgent(), "sessions", "import", ourArchive.toString());
        assertEquals(2, scope.code(), scope::toString);
        assertTrue(scope.err().contains("A session already exists for the import destination scope"), scope::toString);
        // the imported history is anchored: watch shows it (the Node acpx shows none of it)
        Path importedCwd = Path.of(result.path("cwd").asText());
        Files.createDirectories(importedCwd);
        ok(other.run(null, LIMIT, "--agent", Acpx.mockAgent(), "--cwd", importedCwd.toString(), "sessions", "close"));
        Acpx.Result watched = other.run(null, LIMIT, "--agent", Acpx.mockAgent(), "--cwd", importedCwd.toString(), "--format", "quiet",
                "sessions", "watch");
        ok(watched);
        List<JsonNode> history = lines(other.run(null, LIMIT, "--agent", Acpx.mockAgent(), "--cwd", importedCwd.toString(),
                "--format", "json", "sessions", "watch").out());
        assertTrue(history.stream().anyMatch(e -> e.toString().contains("node history")), history::toString);

        // the Node acpx imports ours into a third home
        Path third = Files.createDirectories(tmp.resolve("third/home"));
        ProcessBuilder pb = new ProcessBuilder("node", NODE_ACPX.toString(), "--agent", Acpx.mockAgent(), "--format", "json",
                "sessions", "import", ourArchive.toString()).directory(acpx.cwd.toFile());
        pb.environment().putAll(acpx.env);
        pb.environment().put("HOME", third.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\"action\":\"session_imported\""), out);
    }

    private static String withoutTime(String archive) {
        return archive.replaceFirst("\"exported_at\": \"[^\"]+\"", "\"exported_at\": \"-\"");
    }

    private String recordId() throws Exception {
        try (var files = Files.list(sessions())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).findFirst().orElseThrow();
        }
    }

    private static String cursor(String recordId, long sequence) {
        String json = "[\"" + recordId + "\"," + sequence + "]";
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static long cursorSequence(String cursor) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(cursor)).get(1).asLong();
    }

    private String journalText() {
        try (var files = Files.list(sessions())) {
            StringBuilder b = new StringBuilder();
            for (Path p : files.filter(f -> f.toString().endsWith(".ndjson")).toList()) {
                b.append(Files.readString(p));
            }
            return b.toString();
        } catch (Exception e) {
            return "";
        }
    }

    private String read(Process p) {
        try {
            return acpx.read(p, "out");
        } catch (Exception e) {
            return "";
        }
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> l = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                l.add(JSON.readTree(line));
            }
        }
        return l;
    }

    private static void waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(50);
        }
    }
}
