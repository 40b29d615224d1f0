package dev.acpx.core.config;

import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.TimeLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Validates one parsed config file into a {@link ConfigLayer}, with the Node acpx's rules for
 * each key. Every error names the file and the key and says what is expected.
 * Unknown keys are ignored, so files written for newer or older versions still load.
 */
final class ConfigFileParser {
    /** A queue deeper than this holds more waiting prompts than anyone could mean. */
    static final int MAX_QUEUE_MAX_DEPTH = 10_000;
    /** More live sessions than this on one host is a typo; each slot is a lock file probed in turn. */
    static final int MAX_CONCURRENT_SESSIONS = 1_000;

    private final Path path;
    private final String label;

    ConfigFileParser(Path path, String label) {
        this.path = path;
        this.label = label;
    }

    ConfigLayer parse(ObjectNode root) {
        return new ConfigLayer(path, label, true,
                defaultAgent(root.get("defaultAgent")),
                choice(root, "defaultPermissions", PermissionMode::fromWire, PermissionMode.choices()),
                choice(root, "nonInteractivePermissions", NonInteractivePermissions::fromWire,
                        NonInteractivePermissions.choices()),
                choice(root, "authPolicy", AuthPolicy::fromWire, AuthPolicy.choices()),
                seconds(root.get("ttl"), "ttl", true),
                root.has("timeout"),
                seconds(root.get("timeout"), "timeout", false),
                choice(root, "format", OutputFormat::fromWire, OutputFormat.choices()),
                positiveInt(root.get("queueMaxDepth"), "queueMaxDepth", MAX_QUEUE_MAX_DEPTH),
                agents(root.get("agents")),
                auth(root.get("auth")),
                mcpServers(root),
                bool(root.get("disableExec"), "disableExec"),
                positiveInt(root.get("maxConcurrentSessions"), "maxConcurrentSessions", MAX_CONCURRENT_SESSIONS),
                seconds(root.get("handshakeTimeout"), "handshakeTimeout", false));
    }

    private ConfigException invalid(String key, String expected, JsonNode got) {
        return new ConfigException(label + ": invalid \"" + key + "\": expected " + expected
                + ", got " + shown(got) + " — fix the value or remove the key");
    }

    private static String shown(JsonNode got) {
        String text = got.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    private String defaultAgent(JsonNode node) {
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw invalid("defaultAgent", "a non-empty string", node);
        }
        return normalizeName(node.asText());
    }

    /** Agent names are matched trimmed and lower-cased, as in the Node acpx. */
    static String normalizeName(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    private <E> E choice(ObjectNode root, String key, Function<String, java.util.Optional<E>> parse,
            String choices) {
        JsonNode node = root.get(key);
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(key, choices, node);
        }
        return parse.apply(node.asText()).orElseThrow(() -> invalid(key, choices, node));
    }

    /**
     * Seconds with decimals, kept as whole milliseconds, within {@link TimeLimits#range}: a value
     * that rounds to 0 ms is refused rather than read as "forever".
     */
    private Duration seconds(JsonNode node, String key, boolean allowZero) {
        if (absent(node)) {
            return null;
        }
        String expected = "a number of seconds, " + TimeLimits.range(allowZero) + (allowZero ? "" : ", or null");
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw invalid(key, expected, node);
        }
        return TimeLimits.ofSeconds(node.decimalValue(), allowZero).orElseThrow(() -> invalid(key, expected, node));
    }

    /** JavaScript's Number.isInteger accepts 16.0 as well as 16, so both are taken. */
    private Integer positiveInt(JsonNode node, String key, int max) {
        if (absent(node)) {
            return null;
        }
        String expected = "an integer from 1 to " + max;
        if (!node.isNumber()) {
            throw invalid(key, expected, node);
        }
        double value = node.asDouble();
        if (!Double.isFinite(value) || value != Math.rint(value) || value < 1 || value > max) {
            throw invalid(key, expected, node);
        }
        return (int) value;
    }

    private Boolean bool(JsonNode node, String key) {
        if (absent(node)) {
            return null;
        }
        if (!node.isBoolean()) {
            throw invalid(key, "true or false", node);
        }
        return node.booleanValue();
    }

    private JsonNode mcpServers(ObjectNode root) {
        if (!root.has("mcpServers")) {
            return null;
        }
        // Checked here, like the Node acpx, so a bad list fails every command (even config show),
        // with its words and the file's absolute path; what is kept is the list as ACP sends it.
        try {
            return dev.acpx.core.options.McpServers.parse(root.get("mcpServers"),
                    path.toAbsolutePath().normalize().toString());
        } catch (dev.acpx.core.options.McpServers.InvalidException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private Map<String, String> auth(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (absent(node)) {
            return out;
        }
        if (!node.isObject()) {
            throw invalid("auth", "an object of method id to credential", node);
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isTextual() || value.asText().isBlank()) {
                // The value may be a secret: never echo it back.
                throw new ConfigException(label + ": invalid \"auth." + entry.getKey()
                        + "\": expected a non-empty string credential — fix the value or remove the key");
            }
            out.put(entry.getKey(), value.asText());
        }
        return out;
    }

    private Map<String, AgentDefinition> agents(JsonNode node) {
        Map<String, AgentDefinition> out = new LinkedHashMap<>();
        if (absent(node)) {
            return out;
        }
        if (!node.isObject()) {
            throw invalid("agents", "an object of agent name to {\"command\": ...} or {\"argv\": [...]}", node);
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            out.put(normalizeName(entry.getKey()), agent(entry.getKey(), entry.getValue()));
        }
        return out;
    }

    private AgentDefinition agent(String name, JsonNode raw) {
        String key = "agents." + name;
        if (!raw.isObject()) {
            throw invalid(key, "an object with \"command\" or \"argv\"", raw);
        }
        if (raw.has("argv")) {
            if (raw.has("command") || raw.has("args")) {
                throw new ConfigException(label + ": invalid \"" + key
                        + "\": use \"argv\" alone, not with \"command\" or \"args\" — remove one of them");
            }
            return AgentDefinition.Argv.of(strings(raw.get("argv"), key + ".argv", true));
        }
        JsonNode command = raw.get("command");
        if (command == null || !command.isTextual() || command.asText().isBlank()) {
            throw invalid(key + ".command", "a non-empty string", command == null ? raw : command);
        }
        String trimmed = command.asText().trim();
        if (!raw.has("args")) {
            return new AgentDefinition.Command(trimmed);
        }
        // Legacy {"command", "args"}: Node renders the identity as the command plus JSON-quoted args.
        if (trimmed.matches("(?s).*[\\s'\"].*")) {
            throw new ConfigException(label + ": invalid \"" + key + ".command\": with \"args\" the command"
                    + " must be a bare executable without spaces or quotes — move the whole launch to \"argv\"");
        }
        List<String> args = absent(raw.get("args")) ? List.of() : strings(raw.get("args"), key + ".args", false);
        List<String> argv = new ArrayList<>();
        argv.add(trimmed);
        argv.addAll(args);
        StringBuilder identity = new StringBuilder(trimmed);
        for (String arg : args) {
            identity.append(' ').append(ArgvIdentity.quote(arg));
        }
        return new AgentDefinition.Argv(identity.toString(), argv);
    }

    private List<String> strings(JsonNode node, String key, boolean nonEmpty) {
        String expected = nonEmpty ? "a non-empty array of strings" : "an array of strings";
        if (node == null || !node.isArray() || (nonEmpty && node.isEmpty())) {
            throw invalid(key, expected, node == null ? com.fasterxml.jackson.databind.node.NullNode.instance : node);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw invalid(key + "[" + i + "]", "a string", node.get(i));
            }
            out.add(node.get(i).asText());
        }
        if (nonEmpty && out.get(0).isEmpty()) {
            throw invalid(key + "[0]", "a non-empty executable", node.get(0));
        }
        return out;
    }
}
