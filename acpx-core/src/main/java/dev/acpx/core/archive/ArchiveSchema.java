package dev.acpx.core.archive;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The archive's shape, checked in the Node acpx's order (its zod schema); the first problem is
 * reported as zod 4 words it: {@code Invalid input: expected string, received undefined}.
 */
final class ArchiveSchema {
    private ArchiveSchema() {}

    static void check(JsonNode root) {
        require(root.get("exported_at"), "string", false);
        require(root.get("exported_by"), "string", false);
        JsonNode s = root.get("session");
        require(s, "object", false);
        require(s.get("record_id"), "string", false);
        require(s.get("name"), "string", true);
        require(s.get("agent"), "string", false);
        optional(s.get("agent_name"));
        require(s.get("cwd_relative"), "string", false);
        optional(s.get("cwd_original"));
        optional(s.get("cwd_absolute_original"));
        require(s.get("created_at"), "string", false);
        require(s.get("updated_at"), "string", false);
        require(root.get("history"), "array", false);
    }

    private static void optional(JsonNode v) {
        if (v != null) {
            require(v, "string", false);
        }
    }

    private static void require(JsonNode v, String type, boolean nullable) {
        boolean ok = v != null && (switch (type) {
            case "string" -> v.isTextual();
            case "object" -> v.isObject();
            default -> v.isArray();
        } || nullable && v.isNull());
        if (!ok) {
            throw ArchiveErrors.usage("Invalid session export archive: Invalid input: expected " + type + ", received "
                    + received(v), "invalid-archive");
        }
    }

    private static String received(JsonNode v) {
        if (v == null) return "undefined";
        if (v.isNull()) return "null";
        if (v.isTextual()) return "string";
        if (v.isNumber()) return "number";
        if (v.isBoolean()) return "boolean";
        return v.isArray() ? "array" : "object";
    }
}
