package dev.acpx.core.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code mcpServers} list of a config file or of {@code --mcp-config}, checked and turned into
 * what ACP {@code session/new|load|resume} carry, as the Node acpx 0.19.1 does (src/mcp-servers.ts,
 * SPEC-P2 §7): stdio {@code {name, command, args, env, _meta?}} (no {@code type}), http and sse
 * {@code {type, name, url, headers, _meta?}}; strings trimmed, missing lists empty. Every error
 * names the entry and field in the Node acpx's words, odd order included
 * ({@code Invalid mcpServers[0] in <file>.name: expected non-empty string}).
 */
public final class McpServers {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private McpServers() {}

    /** A list that breaks a rule; the message is the Node acpx's. */
    public static final class InvalidException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidException(String path, String expected) {
            super("Invalid " + path + ": expected " + expected);
        }
    }

    /** Checks {@code value} (the {@code mcpServers} member of {@code sourcePath}) and returns the wire list. */
    public static ArrayNode parse(JsonNode value, String sourcePath) {
        String field = "mcpServers";
        if (value == null || !value.isArray()) {
            throw new InvalidException(field + " in " + sourcePath, "array");
        }
        ArrayNode out = JSON.arrayNode();
        for (int i = 0; i < value.size(); i++) {
            out.add(server(value.get(i), field + "[" + i + "] in " + sourcePath));
        }
        return out;
    }

    private static ObjectNode server(JsonNode raw, String path) {
        if (raw == null || !raw.isObject()) {
            throw new InvalidException(path, "object");
        }
        String name = nonEmpty(raw.get("name"), path + ".name");
        JsonNode meta = meta(raw.get("_meta"), path + "._meta");
        String type = type(raw.get("type"), path);
        ObjectNode server = JSON.objectNode();
        if (type.equals("http") || type.equals("sse")) {
            server.put("type", type);
            server.put("name", name);
            server.put("url", nonEmpty(raw.get("url"), path + ".url"));
            server.set("headers", pairs(raw.get("headers"), path + ".headers"));
        } else {
            server.put("name", name);
            server.put("command", nonEmpty(raw.get("command"), path + ".command"));
            server.set("args", args(raw.get("args"), path + ".args"));
            server.set("env", pairs(raw.get("env"), path + ".env"));
        }
        if (meta != null) {
            server.set("_meta", meta);
        }
        return server;
    }

    private static String type(JsonNode raw, String path) {
        if (raw == null) {
            return "stdio"; // ACP's own shape for stdio has no type
        }
        String type = nonEmpty(raw, path + ".type");
        if (!type.equals("http") && !type.equals("sse") && !type.equals("stdio")) {
            throw new InvalidException(path + ".type", "http, sse, or stdio");
        }
        return type;
    }

    /** Absent: not sent; null: sent as null (JSON.stringify keeps it). */
    private static JsonNode meta(JsonNode raw, String path) {
        if (raw == null) {
            return null;
        }
        if (raw.isNull()) {
            return raw;
        }
        if (!raw.isObject()) {
            throw new InvalidException(path, "object or null");
        }
        return raw.deepCopy();
    }

    private static ArrayNode pairs(JsonNode raw, String path) {
        ArrayNode out = JSON.arrayNode();
        if (raw == null || raw.isNull()) {
            return out;
        }
        if (!raw.isArray()) {
            throw new InvalidException(path, "array");
        }
        for (int i = 0; i < raw.size(); i++) {
            JsonNode entry = raw.get(i);
            String at = path + "[" + i + "]";
            if (!entry.isObject()) {
                throw new InvalidException(at, "object");
            }
            ObjectNode pair = out.addObject();
            pair.put("name", nonEmpty(entry.get("name"), at + ".name"));
            pair.put("value", string(entry.get("value"), at + ".value"));
        }
        return out;
    }

    private static ArrayNode args(JsonNode raw, String path) {
        ArrayNode out = JSON.arrayNode();
        if (raw == null || raw.isNull()) {
            return out;
        }
        if (!raw.isArray()) {
            throw new InvalidException(path, "array");
        }
        for (int i = 0; i < raw.size(); i++) {
            out.add(string(raw.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static String nonEmpty(JsonNode raw, String path) {
        if (raw == null || !raw.isTextual() || raw.textValue().strip().isEmpty()) {
            throw new InvalidException(path, "non-empty string");
        }
        return raw.textValue().strip();
    }

    private static String string(JsonNode raw, String path) {
        if (raw == null || !raw.isTextual()) {
            throw new InvalidException(path, "string");
        }
        return raw.textValue();
    }

    /** The wire list as protocol values, sent verbatim (key order and {@code _meta} kept). */
    public static java.util.List<dev.acpx.core.protocol.McpServer> toProtocol(JsonNode wire) {
        java.util.List<dev.acpx.core.protocol.McpServer> out = new java.util.ArrayList<>();
        if (wire != null) {
            wire.forEach(n -> out.add(new dev.acpx.core.protocol.McpServer.Unknown(n.deepCopy())));
        }
        return java.util.List.copyOf(out);
    }
}
