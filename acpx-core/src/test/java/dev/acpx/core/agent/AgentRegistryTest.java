package dev.acpx.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.config.AgentDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentRegistryTest {
    /** Test-only whitespace/quote splitter; production passes the real shell-style parser. */
    static List<String> testSplit(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean inToken = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            out.add(current.toString());
        }
        return out;
    }

    final AgentRegistry registry = new AgentRegistry(AgentRegistryTest::testSplit);
    final AcpxConfig defaults = AcpxConfig.defaults();

    private static AcpxConfig withAgents(Map<String, AgentDefinition> agents) {
        AcpxConfig d = AcpxConfig.defaults();
        return new AcpxConfig(d.defaultAgent(), d.defaultPermissions(), d.nonInteractivePermissions(), d.authPolicy(),
                d.ttl(), d.timeout(), d.format(), d.queueMaxDepth(), agents, d.auth(), d.mcpServers(),
                d.disableExec(), d.maxConcurrentSessions(), d.handshakeTimeout());
    }

    @Test
    void builtInsMatchNodeAcpx0191Exactly() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("pi", "npx pi-acp@^0.0.33");
        expected.put("openclaw", "openclaw acp");
        expected.put("codex", "npx -y @agentclientprotocol/codex-acp@^1.1.5");
        expected.put("claude", "npx -y @agentclientprotocol/claude-agent-acp@^0.76.0");
        expected.put("gemini", "gemini --acp");
        expected.put("cursor", "cursor-agent acp");
        expected.put("copilot", "copilot --acp --stdio");
        expected.put("antigravity", "agy_acp_server.par --uid=");
        expected.put("devin", "devin acp");
        expected.put("droid", "droid exec --output-format acp");
        expected.put("fast-agent", "uvx fast-agent-mcp acp");
        expected.put("fx", "fx acp");
        expected.put("grok-build", "grok agent stdio");
        expected.put("iflow", "iflow --experimental-acp");
        expected.put("junie", "junie --acp=true");
        expected.put("kilocode", "npx -y @kilocode/cli acp");
        expected.put("kimi", "kimi acp");
        expected.put("kiro", "kiro-cli-chat acp");
        expected.put("mcode", "mcode acp");
        expected.put("mux", "npx -y mux@^0.28.0 acp");
        expected.put("opencode", "npx -y opencode-ai acp");
        expected.put("pool", "pool acp");
        expected.put("qoder", "qodercli --acp");
        expected.put("qwen", "qwen --acp");
        expected.put("trae", "traecli acp serve");
        expected.put("zeroclaw", "zeroclaw acp");
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(AgentRegistry.builtInArgv().keySet()));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            ResolvedAgent agent = registry.resolve(e.getKey(), defaults);
            assertEquals(e.getKey(), agent.name());
            assertEquals(e.getValue(), agent.agentCommand(), e.getKey());
            assertEquals(List.of(e.getValue().split(" ")), agent.argv(), e.getKey());
        }
    }

    @Test
    void namesAreCaseAndSpaceInsensitiveAndAliasesWork() {
        assertEquals("codex", registry.resolve("  CODEX ", defaults).name());
        for (String alias : List.of("factory-droid", "FactoryDroid")) {
            ResolvedAgent droid = registry.resolve(alias, defaults);
            assertEquals("droid", droid.name());
            assertEquals("droid exec --output-format acp", droid.agentCommand());
        }
    }

    @Test
    void demoIsOurBuiltInMarker() {
        ResolvedAgent demo = registry.resolve("demo", defaults);
        assertTrue(demo.isBuiltinDemo());
        assertEquals("demo", demo.name());
        assertEquals(AgentDefinition.BuiltinDemo.IDENTITY, demo.agentCommand());
        assertTrue(demo.argv().isEmpty());
        assertTrue(registry.names(defaults).contains("demo"));
    }

    @Test
    void configAgentsOverrideAndExtendBuiltIns() {
        AcpxConfig config = withAgents(Map.of(
                "codex", new AgentDefinition.Command("node '/opt/mock agent/agent.mjs'"),
                "mine", AgentDefinition.Argv.of(List.of("my agent", "--acp")),
                "droid", new AgentDefinition.Command("my-droid"),
                "demo", new AgentDefinition.Command("real-demo")));
        ResolvedAgent codex = registry.resolve("codex", config);
        assertEquals("node '/opt/mock agent/agent.mjs'", codex.agentCommand(), "identity is the configured line");
        assertEquals(List.of("node", "/opt/mock agent/agent.mjs"), codex.argv());
        ResolvedAgent mine = registry.resolve("Mine", config);
        assertEquals("\"my agent\" --acp", mine.agentCommand());
        assertEquals(List.of("my agent", "--acp"), mine.argv());
        assertEquals("my-droid", registry.resolve("factory-droid", config).agentCommand(), "alias reaches config");
        assertEquals("real-demo", registry.resolve("demo", config).agentCommand());
        assertTrue(registry.names(config).contains("mine"));
    }

    @Test
    void unknownTokenIsARawCommandKeptVerbatim() {
        ResolvedAgent raw = registry.resolve("node /opt/mock-agent/agent.mjs", defaults);
        assertNull(raw.name());
        assertEquals("node /opt/mock-agent/agent.mjs", raw.agentCommand());
        assertEquals(List.of("node", "/opt/mock-agent/agent.mjs"), raw.argv());
        ResolvedAgent explicit = registry.rawCommand("  ./agent --flag 'a b'  ");
        assertEquals("./agent --flag 'a b'", explicit.agentCommand());
        assertEquals(List.of("./agent", "--flag", "a b"), explicit.argv());
    }

    @Test
    void emptyInputsAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> registry.resolve(" ", defaults));
        assertThrows(IllegalArgumentException.class, () -> registry.rawCommand(""));
        assertThrows(IllegalArgumentException.class, () -> registry.rawCommand("''"));
    }
}
