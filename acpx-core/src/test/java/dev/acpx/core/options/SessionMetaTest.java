package dev.acpx.core.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.SessionAgentOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC-P2 §8: the session options as session/new _meta and as the record's acpx.session_options. */
class SessionMetaTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void metaIsTheNodeAcpxShapeAndAbsentWhenEmpty() {
        var all = new SessionAgentOptions("m", List.of("Read", "Grep"), 3, "Be terse", null);
        assertEquals("{\"claudeCode\":{\"options\":{\"model\":\"m\",\"allowedTools\":[\"Read\",\"Grep\"],\"maxTurns\":3}},"
                + "\"systemPrompt\":\"Be terse\"}", SessionMeta.forAgent(all, List.of("node", "a.mjs"), Map.of()).toString());
        assertEquals("{\"systemPrompt\":{\"append\":\"x\"}}", SessionMeta.forAgent(
                new SessionAgentOptions(null, null, null, null, "x"), List.of("a"), Map.of()).toString());
        assertNull(SessionMeta.forAgent(SessionAgentOptions.NONE, List.of("a"), Map.of()));
    }

    @Test
    void theClaudeAdapterAlsoGetsSettingSources() {
        List<String> claude = List.of("npx", "-y", "@agentclientprotocol/claude-agent-acp@^0.76.0");
        assertEquals("{\"claudeCode\":{\"options\":{\"settingSources\":[\"project\",\"local\"]}}}",
                SessionMeta.forAgent(SessionAgentOptions.NONE, claude, Map.of()).toString());
        assertEquals("{\"claudeCode\":{\"options\":{\"settingSources\":[\"user\",\"project\",\"local\"],\"model\":\"o\"}}}",
                SessionMeta.forAgent(new SessionAgentOptions("o", null, null, null, null), List.of("/bin/claude-agent-acp"),
                        Map.of("ACPX_CLAUDE_INCLUDE_USER_SETTINGS", " 1 ")).toString());
        assertFalse(SessionMeta.isClaudeAdapter(List.of("claude", "--acp")));
    }

    @Test
    void recordFormRoundTripsAndForeignValuesAreSkipped() throws Exception {
        var options = new SessionAgentOptions("m", List.of(), 2, null, "more");
        var stored = SessionMeta.toRecord(options);
        assertEquals("{\"model\":\"m\",\"allowed_tools\":[],\"max_turns\":2,\"system_prompt\":{\"append\":\"more\"}}",
                stored.toString());
        assertEquals(options, SessionMeta.fromRecord(stored));
        var foreign = mapper.readTree("{\"model\":\" \",\"allowed_tools\":[1],\"max_turns\":\"3\",\"system_prompt\":{},"
                + "\"env\":{\"A\":\"b\"}}");
        assertTrue(SessionMeta.fromRecord(foreign).isEmpty());
        assertNull(SessionMeta.toRecord(SessionAgentOptions.NONE));
    }

    @Test
    void mergePrefersTheGivenMembers() {
        var stored = new SessionAgentOptions("old", List.of("Read"), 5, "sys", null);
        var given = new SessionAgentOptions("new", null, null, null, "app");
        assertEquals(new SessionAgentOptions("new", List.of("Read"), 5, null, "app"), SessionMeta.merge(given, stored));
    }

    @Test
    void badValuesAreUsageErrorsWithTheNodeWords() {
        AcpxException both = assertThrows(AcpxException.class, () -> new SessionAgentOptions(null, null, null, "a", "b"));
        assertEquals(ErrorKind.USAGE, both.kind());
        assertEquals("Use only one of --system-prompt or --append-system-prompt", both.getMessage());
        assertEquals("Max turns must be a positive integer", assertThrows(AcpxException.class,
                () -> new SessionAgentOptions(null, null, 0, null, null)).getMessage());
        assertEquals("Allowed tools must be a comma-separated list without empty entries", assertThrows(
                AcpxException.class, () -> new SessionAgentOptions(null, List.of("a", " "), null, null, null)).getMessage());
    }
}
