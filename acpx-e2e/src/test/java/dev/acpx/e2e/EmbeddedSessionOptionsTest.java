package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ConfigOptionAssignment;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.Session;
import dev.acpx.api.SessionAgentOptions;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.TurnListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The session options and MCP servers through dev.acpx.api: an embedding host gets what the CLI gets. */
@Timeout(180)
class EmbeddedSessionOptionsTest {
    @TempDir
    Path tmp;
    Acpx acpx;
    Recorded rec;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        rec = Recorded.install(acpx, tmp);
    }

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), EmbeddedHost.descendantsLeft(acpx, Duration.ofSeconds(5)), "processes left behind");
    }

    @Test
    void persistentAndOneShotSessionsAskForTheOptionsAndCarryTheMcpServers() throws Exception {
        Files.writeString(acpx.cwd.resolve("mcp.json"), "{\"mcpServers\":[{\"name\":\"s\",\"command\":\"srv\"}]}");
        SessionAgentOptions options = new SessionAgentOptions("b", List.of("Read"), 2, null, "Extra");
        try (AcpxRuntime rt = EmbeddedHost.runtime(acpx).mcpConfig("mcp.json").build()) {
            AgentRef agent = rt.resolveAgent(rec.agentCommandLoggingHere(), true, acpx.cwd);
            try (Session s = rt.open(SessionOptions.persistent(agent, acpx.cwd).withName("api")
                    .withAgentOptions(options))) {
                assertEquals("end_turn", s.prompt("hi", TurnListener.ignoring()).stopReason().value());
            }
            List<String> notices = new ArrayList<>();
            TurnListener listener = new TurnListener() {
                @Override
                public void onEvent(dev.acpx.api.TurnEvent event) {
                }

                @Override
                public void notice(String line) {
                    notices.add(line);
                }
            };
            rt.exec(new ExecRequest(agent, acpx.cwd, "fail 1", PermissionPolicies.approveAll(), null, null, false,
                    null, options, List.of(new ConfigOptionAssignment("effort", "high")), 1), listener);
            assertEquals(List.of("[acpx] prompt failed (Internal error), retrying in 1000ms (attempt 1/1)"), notices);
        }
        JsonNode meta = rec.json("{\"claudeCode\":{\"options\":{\"model\":\"b\",\"allowedTools\":[\"Read\"],"
                + "\"maxTurns\":2}},\"systemPrompt\":{\"append\":\"Extra\"}}");
        JsonNode servers = rec.json("[{\"name\":\"s\",\"command\":\"srv\",\"args\":[],\"env\":[]}]");
        List<JsonNode> news = rec.params("session/new");
        assertEquals(2, news.size(), () -> rec.methods().toString());
        for (JsonNode n : news) {
            assertEquals(meta, n.get("_meta"));
            assertEquals(servers, n.get("mcpServers"));
        }
        assertEquals(List.of("model=b", "effort=high"), rec.params("session/set_config_option").stream()
                .map(p -> p.path("configId").asText() + "=" + p.path("value").asText()).toList());
    }
}
