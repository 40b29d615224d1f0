package dev.acpx.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.SessionInfo;
import dev.acpx.api.flow.Flow;
import dev.acpx.api.flow.FlowEdge;
import dev.acpx.api.flow.FlowNode;
import dev.acpx.api.flow.FlowRunOptions;
import dev.acpx.api.flow.FlowRunResult;
import dev.acpx.api.flow.FlowRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACP nodes through the real runtime and the shared Node mock agent: persistent sessions shared by
 * handle, isolated one-shot sessions, a turn past its deadline, and every session closed when the run
 * ends. One runtime and home for the class (each test looks only at its own run's sessions).
 */
@Timeout(180)
class FlowAcpTest {
    @TempDir
    static Path home;
    @TempDir
    static Path work;
    static AcpxRuntime runtime;
    static FlowRunner runner;
    static AgentRef mock;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() {
        Path agent = Path.of(System.getProperty("acpx.testEnv", "../.test-env"), "mock-agent", "agent.mjs");
        assertTrue(Files.isDirectory(agent.getParent().resolve("node_modules")),
                "the mock agent is not prepared (run through bin/test): " + agent);
        runtime = AcpxRuntime.builder().userHome(home).shutdownHook(false)
                .environment(Map.of("PATH", System.getenv("PATH"), "MOCK_AGENT_STATE", work.resolve("state").toString()))
                .build();
        runner = FlowRunner.create(runtime, home);
        mock = runtime.resolveAgent("node " + agent.toAbsolutePath(), true, work);
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    FlowRunOptions options() {
        return new FlowRunOptions(work, mock, PermissionPolicies.approveAll());
    }

    @Test
    void persistentHandlesShareOneSessionIsolatedNodesGetTheirOwnAndAllEndClosed() throws Exception {
        Flow flow = Flow.builder("sessions")
                .node("first", FlowNode.acp(ctx -> "echo one"))
                .node("second", FlowNode.acp(ctx -> "echo two after " + ctx.outputs().get("first")))
                .node("other", FlowNode.acp(ctx -> "echo on the side").withSession("side"))
                .node("alone", FlowNode.acp(ctx -> "echo {\"route\":\"y\"}").isolatedSession()
                        .withParse((text, ctx) -> ctx.extractJson(text)))
                .edge(FlowEdge.to("first", "second"))
                .edge(FlowEdge.to("second", "other"))
                .edge(FlowEdge.to("other", "alone"))
                .build();
        FlowRunResult r = runner.run(flow, null, options());
        assertEquals("completed", r.status(), String.valueOf(r.error()));
        assertEquals("one", r.outputs().get("first"));
        assertEquals("two after one", r.outputs().get("second"));
        assertEquals(Map.of("route", "y"), r.outputs().get("alone"));

        JsonNode steps = mapper.readTree(r.runDir().resolve("projections/steps.json").toFile());
        String firstSession = steps.get(0).get("trace").get("sessionId").asText();
        assertEquals(firstSession, steps.get(1).get("trace").get("sessionId").asText(), "one handle, one ACP session");
        assertNotEquals(firstSession, steps.get(2).get("trace").get("sessionId").asText(), "another handle");
        assertNotEquals(firstSession, steps.get(3).get("trace").get("sessionId").asText(), "isolated");
        assertEquals("echo one", steps.get(0).get("promptText").asText());

        JsonNode manifest = mapper.readTree(r.runDir().resolve("manifest.json").toFile());
        assertEquals(3, manifest.get("sessions").size(), manifest.toString());
        Set<String> records = new HashSet<>();
        for (JsonNode s : manifest.get("sessions")) {
            Path bundle = r.runDir().resolve(s.get("bindingPath").asText()).getParent();
            JsonNode binding = mapper.readTree(bundle.resolve("binding.json").toFile());
            if (binding.get("isolated").asBoolean()) {
                // the exec engine keeps no record of one-shot work (as the Node acpx's isolated sessions)
                assertTrue(Files.notExists(home.resolve(".acpx/sessions/" + binding.get("acpxRecordId").asText() + ".json")));
                assertTrue(Files.notExists(bundle.resolve("record.json")));
                continue;
            }
            records.add(binding.get("acpxRecordId").asText());
            JsonNode record = mapper.readTree(bundle.resolve("record.json").toFile());
            assertTrue(record.get("closed").asBoolean(), "the bundle's record copy says closed: " + record);
            List<String> events = Files.readAllLines(bundle.resolve("events.ndjson"));
            assertTrue(events.stream().anyMatch(l -> l.contains("\"session/prompt\"")), bundle.toString());
            assertEquals(1, mapper.readTree(events.getFirst()).get("seq").asInt());
        }
        assertEquals(2, records.size());
        assertClosed(records);
        // the conversation ranges of the shared bundle follow each other
        JsonNode c1 = steps.get(0).get("trace").get("conversation");
        JsonNode c2 = steps.get(1).get("trace").get("conversation");
        assertEquals(c1.get("bundleId"), c2.get("bundleId"));
        assertTrue(c2.get("eventStartSeq").asLong() > c1.get("eventEndSeq").asLong(), c1 + " then " + c2);
        assertTrue(c2.get("eventEndSeq").asLong() >= c2.get("eventStartSeq").asLong(), c2::toString);
    }

    @Test
    void aTurnPastItsDeadlineTimesOutAndItsSessionEndsClosed() throws Exception {
        Flow flow = Flow.builder("slow-turn")
                .node("slow", FlowNode.acp(ctx -> "slow 60000").withTimeout(Duration.ofMillis(2500)))
                .build();
        long t0 = System.nanoTime();
        FlowRunResult r = runner.run(flow, null, options());
        assertEquals("timed_out", r.status());
        assertEquals(ErrorKind.TIMEOUT, r.errorKind());
        assertEquals("Timed out after 2500ms", r.error());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(45).toNanos());
        JsonNode run = mapper.readTree(r.runDir().resolve("projections/run.json").toFile());
        Set<String> records = new HashSet<>();
        run.get("sessionBindings").forEach(b -> records.add(b.get("acpxRecordId").asText()));
        assertEquals(1, records.size(), run.toString());
        assertClosed(records);
    }

    @Test
    void anAcpNodeWithoutAgentFailsSayingWhatToPass() {
        Flow flow = Flow.builder("no-agent").node("ask", FlowNode.acp(ctx -> "hi")).build();
        FlowRunResult r = runner.run(flow, null, new FlowRunOptions(work, null, PermissionPolicies.approveAll()));
        assertEquals("failed", r.status());
        assertTrue(r.error().contains("pass --default-agent NAME"), r.error());
    }

    private void assertClosed(Set<String> recordIds) {
        for (String id : recordIds) {
            SessionInfo info = runtime.listSessions(null).sessions().stream()
                    .filter(s -> s.recordId().equals(id)).findFirst()
                    .orElseThrow(() -> new AssertionError("no record " + id));
            assertTrue(info.closed(), "session " + id + " left open: " + info);
            assertTrue(info.closedReason().startsWith("closed at the end of flow run "), info.closedReason());
        }
    }
}
