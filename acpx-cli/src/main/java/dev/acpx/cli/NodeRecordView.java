package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A stored record as the Node acpx 0.19.1 prints it in json mode ({@code sessions list|show}): its
 * in-memory camelCase shape, keys in the order its parser builds them, absent values dropped. A
 * script reading the Node output finds every key here with the same meaning; the keys only we
 * store (closed reason, owner pid, ...) and the measured {@code state} follow them as extra keys.
 */
final class NodeRecordView {
    /** Disk key to printed key, in the Node parser's order ({@code session/persistence/parse.ts}). */
    private static final List<String[]> KEYS = List.of(
            new String[] {"schema", "schema"},
            new String[] {"acpx_record_id", "acpxRecordId"},
            new String[] {"acp_session_id", "acpSessionId"},
            new String[] {"agent_session_id", "agentSessionId"},
            new String[] {"agent_command", "agentCommand"},
            new String[] {"agent_argv", "agentArgv"},
            new String[] {"cwd", "cwd"},
            new String[] {"name", "name"},
            new String[] {"created_at", "createdAt"},
            new String[] {"last_used_at", "lastUsedAt"},
            new String[] {"last_seq", "lastSeq"},
            new String[] {"last_request_id", "lastRequestId"},
            new String[] {"event_log", "eventLog"},
            new String[] {"closed", "closed"},
            new String[] {"closed_at", "closedAt"},
            new String[] {"pid", "pid"},
            new String[] {"agent_started_at", "agentStartedAt"},
            new String[] {"last_prompt_at", "lastPromptAt"},
            new String[] {"last_agent_exit_code", "lastAgentExitCode"},
            new String[] {"last_agent_exit_signal", "lastAgentExitSignal"},
            new String[] {"last_agent_exit_at", "lastAgentExitAt"},
            new String[] {"last_agent_disconnect_reason", "lastAgentDisconnectReason"},
            new String[] {"protocol_version", "protocolVersion"},
            new String[] {"agent_capabilities", "agentCapabilities"},
            new String[] {"title", "title"},
            new String[] {"messages", "messages"},
            new String[] {"updated_at", "updated_at"},
            new String[] {"cumulative_token_usage", "cumulative_token_usage"},
            new String[] {"cumulative_cost", "cumulative_cost"},
            new String[] {"request_token_usage", "request_token_usage"},
            new String[] {"acpx", "acpx"},
            new String[] {"imported_from", "importedFrom"});

    /** Keys whose JSON null the Node parser keeps (it drops null for every other optional key). */
    private static final Set<String> NULL_KEPT = Set.of("last_agent_exit_code", "last_agent_exit_signal", "title");

    private static final long DEFAULT_SEGMENT_BYTES = 67_108_864L;
    private static final int DEFAULT_SEGMENTS = 5;

    private NodeRecordView() {}

    static ObjectNode of(ObjectMapper mapper, JsonNode disk, String sessionsDir, String state) {
        ObjectNode out = mapper.createObjectNode();
        Set<String> known = new HashSet<>();
        for (String[] k : KEYS) {
            known.add(k[0]);
            JsonNode v = disk.get(k[0]);
            switch (k[0]) {
                case "closed" -> out.put("closed", v != null && v.asBoolean(false));
                case "event_log" -> out.set("eventLog", eventLog(mapper, v, sessionsDir, disk.path("acpx_record_id").asText()));
                case "cumulative_token_usage", "request_token_usage" ->
                        out.set(k[1], v instanceof ObjectNode o ? o : mapper.createObjectNode());
                case "messages" -> out.set(k[1], v instanceof ArrayNode a ? a : mapper.createArrayNode());
                case "acpx" -> {
                    if (v instanceof ObjectNode o) {
                        out.set("acpx", acpxState(mapper, o));
                    }
                }
                case "imported_from" -> {
                    if (v instanceof ObjectNode o) {
                        out.set(k[1], camel(mapper, o));
                    }
                }
                default -> {
                    if (v != null && !v.isMissingNode() && (!v.isNull() || NULL_KEPT.contains(k[0]))) {
                        out.set(k[1], v);
                    }
                }
            }
        }
        // Ours, after everything the Node acpx prints.
        disk.properties().forEach(e -> {
            if (!known.contains(e.getKey())) {
                out.set(camelKey(e.getKey()), e.getValue());
            }
        });
        out.put("state", state);
        return out;
    }

    /** The Node acpx shows a default event log for a record that has none (its parser's fallback). */
    private static JsonNode eventLog(ObjectMapper mapper, JsonNode v, String sessionsDir, String id) {
        if (v instanceof ObjectNode o && o.path("active_path").isTextual()) {
            return o;
        }
        ObjectNode log = mapper.createObjectNode();
        log.put("active_path", sessionsDir + "/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20") + ".stream.ndjson");
        log.put("segment_count", DEFAULT_SEGMENTS);
        log.put("max_segment_bytes", DEFAULT_SEGMENT_BYTES);
        log.put("max_segments", DEFAULT_SEGMENTS);
        log.putNull("last_write_error");
        return log;
    }

    /** The Node parser's key order for the {@code acpx} state; keys it does not know follow. */
    private static final List<String> ACPX_ORDER = List.of("reset_on_next_ensure", "current_mode_id",
            "desired_mode_id", "desired_config_options", "available_model_names", "current_model_id",
            "available_models", "model_control", "config_options", "available_commands", "session_options");

    private static ObjectNode acpxState(ObjectMapper mapper, ObjectNode acpx) {
        ObjectNode out = mapper.createObjectNode();
        for (String key : ACPX_ORDER) {
            if (acpx.has(key) && !acpx.get(key).isNull()) {
                out.set(key, acpx.get(key));
            }
        }
        acpx.properties().forEach(e -> {
            if (!out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static ObjectNode camel(ObjectMapper mapper, ObjectNode o) {
        ObjectNode out = mapper.createObjectNode();
        o.properties().forEach(e -> out.set(camelKey(e.getKey()), e.getValue()));
        return out;
    }

    static String camelKey(String snake) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }
}
