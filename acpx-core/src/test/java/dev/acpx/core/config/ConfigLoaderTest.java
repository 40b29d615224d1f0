package dev.acpx.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path temp;
    Path home;
    Path project;
    ConfigLoader loader;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(temp.resolve("home"));
        project = Files.createDirectories(temp.resolve("work/project"));
        loader = new ConfigLoader(home, new ObjectMapper());
    }

    private void global(String json) throws IOException {
        Files.createDirectories(home.resolve(".acpx"));
        Files.writeString(home.resolve(".acpx/config.json"), json);
    }

    private void local(String json) throws IOException {
        Files.writeString(project.resolve(".acpxrc.json"), json);
    }

    private AcpxConfig merged() {
        return loader.load(project).merged();
    }

    @Test
    void noFilesGiveNodeDefaults() {
        ConfigLayers layers = loader.load(project);
        assertFalse(layers.global().exists());
        assertFalse(layers.project().exists());
        AcpxConfig config = layers.merged();
        assertEquals("codex", config.defaultAgent());
        assertEquals(PermissionMode.APPROVE_READS, config.defaultPermissions());
        assertEquals(NonInteractivePermissions.DENY, config.nonInteractivePermissions());
        assertEquals(AuthPolicy.SKIP, config.authPolicy());
        assertEquals(Duration.ofSeconds(300), config.ttl());
        assertNull(config.timeout());
        assertEquals(OutputFormat.TEXT, config.format());
        assertEquals(16, config.queueMaxDepth());
        assertTrue(config.agents().isEmpty());
        assertTrue(config.auth().isEmpty());
        assertTrue(config.mcpServers().isArray() && config.mcpServers().isEmpty());
        assertFalse(config.disableExec());
        assertNull(config.maxConcurrentSessions());
        assertEquals(AcpxConfig.defaults(), config);
    }

    @Test
    void projectOverridesGlobalKeyByKeyAndMapsMergeByEntry() throws IOException {
        global("""
                {"defaultAgent": "Claude", "defaultPermissions": "deny-all", "ttl": 60, "format": "json",
                 "agents": {"mine": {"command": "my-agent --acp"}, "other": {"argv": ["o", "x y"]}},
                 "auth": {"api-key": "g1", "token": "g2"}, "maxConcurrentSessions": 4,
                 "someFutureKey": {"ignored": true}}
                """);
        local("""
                {"defaultPermissions": "approve-all", "ttl": 0.5, "queueMaxDepth": 3,
                 "agents": {"MINE": {"argv": ["local-agent"]}},
                 "auth": {"token": "p2"}, "nonInteractivePermissions": "fail", "authPolicy": "fail",
                 "disableExec": true, "mcpServers": [{"name": "fs", "command": "fs-server"}]}
                """);
        AcpxConfig config = merged();
        assertEquals("claude", config.defaultAgent(), "normalized like Node");
        assertEquals(PermissionMode.APPROVE_ALL, config.defaultPermissions());
        assertEquals(NonInteractivePermissions.FAIL, config.nonInteractivePermissions());
        assertEquals(AuthPolicy.FAIL, config.authPolicy());
        assertEquals(Duration.ofMillis(500), config.ttl());
        assertEquals(OutputFormat.JSON, config.format());
        assertEquals(3, config.queueMaxDepth());
        assertEquals(4, config.maxConcurrentSessions());
        assertTrue(config.disableExec());
        assertEquals("fs", config.mcpServers().get(0).get("name").asText());
        assertEquals(Map.of("api-key", "g1", "token", "p2"), config.auth());
        assertEquals(new AgentDefinition.Argv("local-agent", List.of("local-agent")), config.agents().get("mine"));
        assertEquals(new AgentDefinition.Argv("o \"x y\"", List.of("o", "x y")), config.agents().get("other"));
    }

    @Test
    void nullScalarsFallThroughButNullTimeoutOverrides() throws IOException {
        global("""
                {"timeout": 12.5, "ttl": 10, "format": "quiet"}
                """);
        local("""
                {"ttl": null, "format": null}
                """);
        AcpxConfig config = merged();
        assertEquals(Duration.ofSeconds(10), config.ttl());
        assertEquals(OutputFormat.QUIET, config.format());
        assertEquals(Duration.ofMillis(12_500), config.timeout());

        local("""
                {"timeout": null}
                """);
        assertNull(merged().timeout(), "an explicit null timeout in the project file means no timeout");
    }

    @Test
    void ttlZeroIsForeverAndValuesRoundToWholeMilliseconds() throws IOException {
        global("{\"ttl\": 0, \"timeout\": 0.0005}");
        AcpxConfig config = merged();
        assertEquals(Duration.ZERO, config.ttl());
        assertEquals(Duration.ofMillis(1), config.timeout());
        global("{\"ttl\": 2147483.647, \"timeout\": 1.2344}");
        config = merged();
        assertEquals(Duration.ofMillis(Integer.MAX_VALUE), config.ttl());
        assertEquals(Duration.ofMillis(1234), config.timeout());
    }

    @Test
    void integralDoublesAreIntegersAsInJavaScript() throws IOException {
        global("{\"queueMaxDepth\": 8.0}");
        assertEquals(8, merged().queueMaxDepth());
    }

    @Test
    void projectFileIsReadFromCwdOnlyNotParents() throws IOException {
        Files.writeString(project.getParent().resolve(".acpxrc.json"), "{\"defaultAgent\": \"gemini\"}");
        assertEquals("codex", merged().defaultAgent());
    }

    @Test
    void legacyCommandWithArgsBecomesArgvWithNodeIdentity() throws IOException {
        global("""
                {"agents": {"leg": {"command": "node", "args": ["agent.mjs", "--mode=x"]},
                            "bare": {"command": "node", "args": null},
                            "plain": {"command": "  npx -y thing  "}}}
                """);
        AcpxConfig config = merged();
        assertEquals(new AgentDefinition.Argv("node \"agent.mjs\" \"--mode=x\"", List.of("node", "agent.mjs", "--mode=x")),
                config.agents().get("leg"));
        assertEquals(new AgentDefinition.Argv("node", List.of("node")), config.agents().get("bare"));
        assertEquals(new AgentDefinition.Command("npx -y thing"), config.agents().get("plain"));
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() throws IOException {
        global("{\n  \"ttl\": 300,\n  \"format\": }\n");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(project));
        assertTrue(e.getMessage().startsWith("~/.acpx/config.json:3:13: Unexpected character ('}'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("— fix or remove the file"), e.getMessage());
    }

    @Test
    void malformedProjectFileIsNamedByAbsolutePath() throws IOException {
        local("{\"ttl\": 1,}");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(project));
        assertTrue(e.getMessage().startsWith(project.resolve(".acpxrc.json") + ":1:"), e.getMessage());
    }

    @Test
    void trailingGarbageEmptyFileAndNonObjectAreErrors() throws IOException {
        global("{} {}");
        assertMessage("~/.acpx/config.json:1:", "fix or remove the file");
        global("");
        assertMessage("~/.acpx/config.json: the file is empty", "fix or remove the file");
        global("[1, 2]");
        assertMessage("~/.acpx/config.json: expected a JSON object at the top level, found array", "");
    }

    @Test
    void unreadableOrInvalidUtf8FilesAreErrors() throws IOException {
        Files.createDirectories(home.resolve(".acpx/config.json"));
        assertMessage("~/.acpx/config.json: cannot read", "remove it");
        Files.delete(home.resolve(".acpx/config.json"));
        Files.write(home.resolve(".acpx/config.json"), new byte[] {'{', (byte) 0xC3, '}'});
        assertMessage("~/.acpx/config.json: not valid UTF-8", "");
    }

    @Test
    void wrongTypesAndValuesNameFileAndKey() throws IOException {
        String label = "~/.acpx/config.json: invalid ";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"ttl\": \"abc\"}",
                "\"ttl\": expected a number of seconds, 0 (forever) or 0.001 to 2147483.647 seconds, got \"abc\"");
        cases.put("{\"ttl\": -1}", "\"ttl\"");
        cases.put("{\"ttl\": 99999999}", "\"ttl\": expected a number of seconds, 0 (forever) or 0.001 to 2147483.647");
        cases.put("{\"ttl\": 99999999999999999999}", "\"ttl\": expected a number of seconds");
        cases.put("{\"ttl\": 1e-9}", "\"ttl\": expected a number of seconds, 0 (forever) or 0.001");
        cases.put("{\"ttl\": 1e400}", "\"ttl\"");
        cases.put("{\"timeout\": 0}", "\"timeout\": expected a number of seconds, 0.001 to 2147483.647 seconds, or null");
        cases.put("{\"timeout\": 0.0004}", "\"timeout\": expected a number of seconds, 0.001");
        cases.put("{\"timeout\": 1e99}", "\"timeout\": expected a number of seconds, 0.001");
        cases.put("{\"timeout\": -0.5}", "\"timeout\"");
        cases.put("{\"timeout\": \"5\"}", "\"timeout\"");
        cases.put("{\"defaultPermissions\": \"approve-some\"}",
                "\"defaultPermissions\": expected approve-all, approve-reads, or deny-all, got \"approve-some\"");
        cases.put("{\"defaultPermissions\": \"APPROVE-ALL\"}", "\"defaultPermissions\"");
        cases.put("{\"nonInteractivePermissions\": \"ask\"}", "\"nonInteractivePermissions\": expected deny or fail");
        cases.put("{\"authPolicy\": 1}", "\"authPolicy\": expected skip or fail, got 1");
        cases.put("{\"format\": \"yaml\"}", "\"format\": expected text, json, or quiet");
        cases.put("{\"queueMaxDepth\": 0}", "\"queueMaxDepth\": expected an integer from 1 to 10000, got 0");
        cases.put("{\"queueMaxDepth\": 10001}", "\"queueMaxDepth\": expected an integer from 1 to 10000, got 10001");
        cases.put("{\"queueMaxDepth\": 1e300}", "\"queueMaxDepth\"");
        cases.put("{\"queueMaxDepth\": 1.5}", "\"queueMaxDepth\"");
        cases.put("{\"maxConcurrentSessions\": -2}", "\"maxConcurrentSessions\": expected an integer from 1 to 1000");
        cases.put("{\"maxConcurrentSessions\": 2147483648}", "\"maxConcurrentSessions\": expected an integer");
        cases.put("{\"defaultAgent\": \"  \"}", "\"defaultAgent\": expected a non-empty string");
        cases.put("{\"disableExec\": \"yes\"}", "\"disableExec\": expected true or false");
        cases.put("{\"agents\": []}", "\"agents\": expected an object");
        cases.put("{\"agents\": {\"a\": \"cmd\"}}", "\"agents.a\": expected an object with \"command\" or \"argv\"");
        cases.put("{\"agents\": {\"a\": {\"command\": \"\"}}}", "\"agents.a.command\": expected a non-empty string");
        cases.put("{\"agents\": {\"a\": {}}}", "\"agents.a.command\": expected a non-empty string");
        cases.put("{\"agents\": {\"a\": {\"argv\": []}}}", "\"agents.a.argv\": expected a non-empty array of strings");
        cases.put("{\"agents\": {\"a\": {\"argv\": [\"x\", 2]}}}", "\"agents.a.argv[1]\": expected a string");
        cases.put("{\"agents\": {\"a\": {\"argv\": [\"\"]}}}", "\"agents.a.argv[0]\": expected a non-empty executable");
        cases.put("{\"agents\": {\"a\": {\"argv\": [\"x\"], \"command\": \"y\"}}}", "\"agents.a\": use \"argv\" alone");
        cases.put("{\"agents\": {\"a\": {\"command\": \"x y\", \"args\": []}}}", "\"agents.a.command\": with \"args\"");
        cases.put("{\"agents\": {\"a\": {\"command\": \"x\", \"args\": \"-v\"}}}", "\"agents.a.args\": expected an array of strings");
        cases.put("{\"auth\": \"k\"}", "\"auth\": expected an object");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            global(c.getKey());
            ConfigException e = assertThrows(ConfigException.class, () -> loader.load(project), c.getKey());
            assertTrue(e.getMessage().startsWith(label + c.getValue()), c.getKey() + " -> " + e.getMessage());
            assertTrue(e.getMessage().contains(" — "), e.getMessage());
        }
    }

    @Test
    void badCredentialIsReportedWithoutEchoingIt() throws IOException {
        global("{\"auth\": {\"api-key\": 12345678}}");
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(project));
        assertTrue(e.getMessage().contains("\"auth.api-key\""), e.getMessage());
        assertFalse(e.getMessage().contains("12345678"), e.getMessage());
    }

    @Test
    void credentialsComeFromEnvFirstThenConfigByIdThenByToken() throws IOException {
        global("{\"auth\": {\"openai-api-key\": \"from-config\", \"GEMINI_KEY\": \"by-token\"}}");
        AcpxConfig config = merged();
        assertEquals("from-config", config.credentialFor("openai-api-key", Map.of()).orElseThrow());
        assertEquals("from-env", config.credentialFor("openai-api-key",
                Map.of("ACPX_AUTH_OPENAI_API_KEY", "from-env")).orElseThrow());
        assertEquals("from-config", config.credentialFor("openai-api-key",
                Map.of("ACPX_AUTH_OPENAI_API_KEY", "  ")).orElseThrow(), "blank env value counts as absent");
        assertEquals("by-token", config.credentialFor("gemini.key", Map.of()).orElseThrow());
        assertTrue(config.credentialFor("unknown", Map.of()).isEmpty());
        assertFalse(config.toString().contains("from-config"), "toString must not leak credentials");
        assertFalse(loader.load(project).global().toString().contains("from-config"));
    }

    private void assertMessage(String prefix, String suffix) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(project));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        assertTrue(e.getMessage().endsWith(suffix), e.getMessage());
    }
}
