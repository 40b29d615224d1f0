package dev.acpx.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records written by the Node acpx 0.1.15 and 0.19.1 load, read right, and survive our rewrite. */
class FixtureRecordsTest {

    static final Map<String, List<String>> FIXTURES = Map.of(
            "node-acpx-0.1.15", List.of("0db3467c-d05b-42e8-aa06-cda5ca718d3d",
                    "e91b2426-44bb-4f63-b85d-3a1aa5d87946", "eaebf89a-aeb8-4275-9b98-553895ae8c80"),
            "node-acpx-0.19.1", List.of("68daab5d-1086-41e7-8087-ce742fec559d",
                    "db6dc401-acac-4f32-aca0-09d7e855d417", "e94a3fda-0518-410f-874a-2a1fda09c14a"));

    @TempDir
    Path home;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Instant now = Instant.parse("2026-12-01T10:00:00.123456Z");
    private SessionStore store;

    @org.junit.jupiter.api.BeforeEach
    void openStore() {
        store = new SessionStore(home, mapper, Clock.fixed(now, ZoneOffset.UTC));
    }

    static void copyFixtures(Path sessionsDir, String version) throws IOException {
        Files.createDirectories(sessionsDir);
        for (String id : FIXTURES.get(version)) {
            try (InputStream in = FixtureRecordsTest.class.getResourceAsStream("/fixtures/" + version + "/" + id + ".json")) {
                Files.copy(in, sessionsDir.resolve(id + ".json"));
            }
        }
    }

    private ObjectNode original(String version, String id) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + version + "/" + id + ".json")) {
            return (ObjectNode) mapper.readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-acpx-0.1.15", "node-acpx-0.19.1"})
    void everyFixtureLoadsAndReadsRight(String version) throws IOException {
        copyFixtures(store.sessionsDir(), version);
        LoadResult all = store.list();
        assertEquals(List.of(), all.problems());
        assertEquals(3, all.records().size());

        List<String> ids = FIXTURES.get(version);
        SessionRecord main = store.load(ids.get(0)).orElseThrow();
        assertEquals("node /opt/mock-agent/agent.mjs", main.agentCommand());
        assertEquals("/home/user/project", main.cwd());
        assertNull(main.name());
        assertFalse(main.closed());
        assertEquals(SessionRecord.MODE_PERSISTENT, main.mode());
        assertEquals(1, main.protocolVersion());
        assertTrue(main.agentCapabilities().path("loadSession").asBoolean());
        assertEquals("connection_close", main.lastAgentDisconnectReason());
        assertNull(main.lastAgentExitCode());
        List<HistoryEntry> history = main.history();
        assertEquals(2, history.size());
        assertEquals(new HistoryEntry(HistoryEntry.Role.USER, main.updatedAt(), "echo hello from a fixture"), history.get(0));
        assertEquals(new HistoryEntry(HistoryEntry.Role.ASSISTANT, main.updatedAt(), "hello from a fixture"), history.get(1));

        SessionRecord closedOne = all.records().stream().filter(r -> "closed-one".equals(r.name())).findFirst().orElseThrow();
        assertTrue(closedOne.closed());
        assertTrue(closedOne.closedAt() != null);
        assertEquals(List.of(), closedOne.history());

        if (version.endsWith("0.19.1")) {
            assertEquals("plan", main.selections().desiredModeId());
            assertEquals("plan", main.selections().currentModeId());
            assertEquals("mock-default", main.selections().currentModelId());
            assertEquals("model", main.selections().configOptions().get(0).path("id").asText());
        } else {
            assertNull(main.selections().desiredModeId());
            assertEquals(26811L, main.pid());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-acpx-0.1.15", "node-acpx-0.19.1"})
    void unknownKeysSurviveLoadModifySave(String version) throws IOException {
        copyFixtures(store.sessionsDir(), version);
        for (String id : FIXTURES.get(version)) {
            ObjectNode before = original(version, id);
            // A read-modify-write under the record's lock, then a close (which re-reads the record).
            SessionRecord r = store.update(id, fresh -> {
                fresh.setLastUsedAt(now);
                fresh.selections().putDesiredConfigOption("model", "mock-large");
                fresh.appendTurn(HistoryEntry.Role.USER, "next question", now);
                return true;
            }).orElseThrow();
            store.close(r, "sessions close");

            ObjectNode after = (ObjectNode) mapper.readTree(store.sessionsDir().resolve(id + ".json").toFile());
            Iterator<String> keys = before.fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                switch (key) {
                    case "last_used_at", "closed", "closed_at", "pid", "messages", "updated_at", "acpx" -> { }
                    default -> assertEquals(before.get(key), after.get(key), id + ": key " + key);
                }
            }
            // Unknown nested content survives, changed only where we wrote.
            JsonNode oldMessages = before.get("messages");
            for (int i = 0; i < oldMessages.size(); i++) {
                assertEquals(oldMessages.get(i), after.get("messages").get(i));
            }
            ObjectNode expectedAcpx = (ObjectNode) before.get("acpx").deepCopy();
            expectedAcpx.putObject("desired_config_options").put("model", "mock-large");
            assertEquals(expectedAcpx, after.get("acpx"));
            assertEquals("2026-12-01T10:00:00.123Z", after.get("last_used_at").asText());
            assertEquals("2026-12-01T10:00:00.123Z", after.get("closed_at").asText());
            assertEquals("sessions close", after.get("closed_reason").asText());
            assertFalse(after.has("pid"));
            assertTrue(after.get("closed").asBoolean());
            assertEquals("next question", store.load(id).orElseThrow().history().getLast().textPreview());
        }
    }

    @Test
    void appendedTurnsUseTheNodeMessageShape() {
        SessionRecord r = SessionRecord.create("r1", new SessionScope("agent", Path.of("/p"), null),
                SessionRecord.MODE_ONESHOT, now);
        r.appendTurn(HistoryEntry.Role.USER, "hi", now);
        r.appendTurn(HistoryEntry.Role.ASSISTANT, "hello", now.plusSeconds(1));
        JsonNode user = r.json().get("messages").get(0).get("User");
        assertTrue(user.get("id").isTextual());
        assertEquals("hi", user.get("content").get(0).get("Text").asText());
        JsonNode agent = r.json().get("messages").get(1).get("Agent");
        assertEquals("hello", agent.get("content").get(0).get("Text").asText());
        assertTrue(agent.get("tool_results").isObject());
        assertEquals("2026-12-01T10:00:01.123Z", r.json().get("updated_at").asText());
        assertEquals(List.of(new HistoryEntry(HistoryEntry.Role.USER, Instant.parse("2026-12-01T10:00:00.123Z"), "hi"),
                new HistoryEntry(HistoryEntry.Role.ASSISTANT, Instant.parse("2026-12-01T10:00:01.123Z"), "hello")), r.history());
        // Keys the Node acpx 0.19.1 requires before it accepts a record.
        for (String key : List.of("schema", "acpx_record_id", "acp_session_id", "agent_command", "cwd",
                "created_at", "last_used_at", "last_seq", "messages", "updated_at",
                "cumulative_token_usage", "request_token_usage")) {
            assertTrue(r.json().has(key), key);
        }
    }
}
