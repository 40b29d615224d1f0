package dev.acpx.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.fuzz.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Mutates a full config file and loads it: either it loads, or a {@link ConfigException} names the
 * file (with line:column when the JSON itself is broken). Any other exception is a bug.
 */
class ConfigLoaderFuzzTest {

    private static final String SEED = """
            {
              "defaultAgent": "codex",
              "defaultPermissions": "approve-reads",
              "nonInteractivePermissions": "deny",
              "authPolicy": "skip",
              "ttl": 300,
              "timeout": 12.5,
              "queueMaxDepth": 16,
              "format": "text",
              "agents": {"mine": {"command": "node ./agent.mjs --flag"}, "argv": {"argv": ["python3", "-m", "agent"]}},
              "auth": {"api-key": "secret"},
              "maxConcurrentSessions": 4
            }
            """;
    private static final Pattern POSITION = Pattern.compile("^~/\\.acpx/config\\.json:\\d+:\\d+: .+");

    private final Path home;
    private final Path cwd;

    ConfigLoaderFuzzTest() throws IOException {
        home = Files.createTempDirectory("acpx-config-fuzz");
        cwd = Files.createDirectories(home.resolve("work"));
        Files.createDirectories(home.resolve(".acpx"));
    }

    @AfterProperty
    void removeHome() throws IOException {
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property
    void mutatedConfigLoadsOrFailsClearly(@ForAll("edits") List<Mutations.Edit> edits) throws IOException {
        byte[] mutated = Mutations.apply(SEED.getBytes(StandardCharsets.UTF_8), edits);
        Files.write(home.resolve(".acpx/config.json"), mutated);
        ConfigLoader loader = new ConfigLoader(home, new ObjectMapper());
        try {
            AcpxConfig merged = loader.load(cwd).merged();
            assertAgreesWithTheFile(mutated, merged);
        } catch (ConfigException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith("~/.acpx/config.json"), message);
            assertTrue(message.lines().count() == 1, "one line: " + message);
            if (!parsesAsJson(mutated)) {
                assertTrue(POSITION.matcher(message).matches() || message.contains("not valid UTF-8")
                        || message.contains("the file is empty"), "syntax errors give line:column: " + message);
            }
        } catch (RuntimeException e) {
            fail("not a ConfigException for:\n" + new String(mutated, StandardCharsets.UTF_8), e);
        }
    }

    /**
     * A config that loads must be what the file says: the file is a JSON object, and each key the
     * loader accepted from it holds the file's value (a loader that ignored or garbled a value it did
     * not reject would pass a mere "did not throw").
     */
    private static void assertAgreesWithTheFile(byte[] file, AcpxConfig merged) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new ObjectMapper().readTree(file);
        } catch (IOException e) {
            throw new AssertionError("a file that is not JSON loaded: " + new String(file, StandardCharsets.UTF_8), e);
        }
        assertTrue(root != null && root.isObject(), "a file that is not a JSON object loaded: " + root);
        String text = root.toString();
        var agent = root.get("defaultAgent");
        if (agent != null && agent.isTextual()) {
            assertEquals(ConfigFileParser.normalizeName(agent.asText()), merged.defaultAgent(), text);
        }
        var depth = root.get("queueMaxDepth");
        if (depth != null && depth.isInt()) {
            assertEquals(depth.asInt(), merged.queueMaxDepth(), text);
        }
        var max = root.get("maxConcurrentSessions");
        if (max != null && max.isInt()) {
            assertEquals(max.asInt(), merged.maxConcurrentSessions(), text);
        } else if (max == null || max.isNull()) {
            assertEquals(null, merged.maxConcurrentSessions(), text);
        }
        var disable = root.get("disableExec");
        if (disable != null && disable.isBoolean()) {
            assertEquals(disable.asBoolean(), merged.disableExec(), text);
        }
    }

    private static boolean parsesAsJson(byte[] bytes) {
        try {
            return new ObjectMapper().readTree(bytes) != null;
        } catch (IOException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<List<Mutations.Edit>> edits() {
        return Mutations.editLists(6);
    }

    /** Whole-value swaps: every key given every kind of JSON value. */
    @Property
    void anyValueForAnyKeyLoadsOrFailsClearly(@ForAll("keys") String key, @ForAll("values") String value)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(SEED);
        root.set(key, mapper.readTree(value));
        Files.writeString(home.resolve(".acpx/config.json"), mapper.writeValueAsString(root));
        try {
            assertAgreesWithTheFile(mapper.writeValueAsBytes(root), new ConfigLoader(home, mapper).load(cwd).merged());
        } catch (ConfigException e) {
            if (key.equals("mcpServers")) {
                // the Node acpx's own words, naming the file by its absolute path (SPEC-P2 §7)
                assertTrue(e.getMessage().startsWith("Invalid mcpServers"), e.getMessage());
                assertTrue(e.getMessage().contains(home.resolve(".acpx/config.json").toString()), e.getMessage());
                return;
            }
            assertTrue(e.getMessage().startsWith("~/.acpx/config.json"), e.getMessage());
            assertTrue(e.getMessage().contains(key.isEmpty() ? "" : key) || e.getMessage().contains("agents")
                    || e.getMessage().contains("auth"), "names the key: " + e.getMessage());
        } catch (RuntimeException e) {
            fail("not a ConfigException for " + key + " = " + value, e);
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of("defaultAgent", "defaultPermissions", "nonInteractivePermissions", "authPolicy", "ttl",
                "timeout", "queueMaxDepth", "format", "agents", "auth", "maxConcurrentSessions", "mcpServers", "unknown");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "99999999999999999999",
                "\"\"", "\"  \"", "\"approve-all\"", "\"\\u0000\"", "[]", "[1,\"a\"]", "{}", "{\"x\":null}",
                "{\"x\":{\"command\":\"\"}}", "{\"x\":{\"argv\":[]}}", "{\"x\":{\"argv\":[1]}}", "{\"x\":{}}",
                "{\"x\":{\"command\":\"a\",\"argv\":[\"b\"]}}", "{\"x\":\"str\"}", "{\"x\":7}", "2147483648", "0.0001");
    }
}
