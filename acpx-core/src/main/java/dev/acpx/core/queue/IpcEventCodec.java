package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON form of the queue's {@link IpcEvent} and {@link IpcTurnResult} records: the JSON the API's
 * events had before the queue got records of its own (IpcCodecTest holds it as goldens). Every event
 * carries an explicit {@code type} tag (never a Java class name), so owner and caller of different
 * builds agree; a tag this version does not know decodes as {@link IpcEvent.OtherUpdate} instead of failing.
 */
final class IpcEventCodec {

    private final ObjectMapper mapper;

    IpcEventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode encode(IpcEvent event) {
        ObjectNode node = mapper.createObjectNode();
        switch (event) {
            case IpcEvent.AgentText e -> tag(node, "agent_text").put("text", e.text());
            case IpcEvent.Thought e -> tag(node, "thought").put("text", e.text());
            case IpcEvent.UserText e -> tag(node, "user_text").put("text", e.text());
            case IpcEvent.ToolCall e -> {
                tag(node, "tool_call").put("toolCallId", e.toolCallId()).put("title", e.title())
                        .put("kind", e.kind()).put("status", e.status()).put("input", e.input())
                        .put("output", e.output()).put("readLike", e.readLike()).put("name", e.name());
                ArrayNode locations = node.putArray("locations");
                e.locations().forEach(locations::add);
            }
            case IpcEvent.Plan e -> {
                ArrayNode entries = tag(node, "plan").putArray("entries");
                for (IpcEvent.PlanEntry entry : e.entries()) {
                    entries.addObject().put("content", entry.content()).put("priority", entry.priority())
                            .put("status", entry.status());
                }
            }
            case IpcEvent.ModeChanged e -> tag(node, "mode_changed").put("modeId", e.modeId());
            case IpcEvent.PermissionAsked e -> tag(node, "permission_asked").put("title", e.title())
                    .put("kind", e.kind()).put("outcome", e.outcome()).put("optionId", e.optionId());
            case IpcEvent.PermissionEscalated e -> tag(node, "permission_escalated").put("sessionId", e.sessionId())
                    .put("toolCallId", e.toolCallId()).put("toolName", e.toolName()).put("toolTitle", e.toolTitle())
                    .put("toolInput", e.toolInput()).put("toolKind", e.toolKind()).put("matchedRule", e.matchedRule())
                    .put("message", e.message()).put("timestamp", e.timestamp());
            case IpcEvent.ClientOperation e -> tag(node, "client_operation").put("method", e.method())
                    .put("summary", e.summary()).put("status", e.status()).put("details", e.details());
            case IpcEvent.Signal e -> SignalCodec.encode(e.signal(), node);
            case IpcEvent.OtherUpdate e -> tag(node, "other_update").put("sessionUpdate", e.sessionUpdate());
            case IpcEvent.Wire e -> tag(node, "wire")
                    .put("direction", e.direction() == IpcEvent.WireDirection.TO_AGENT ? "to_agent" : "from_agent")
                    .put("json", e.json());
            case IpcEvent.AgentStderr e -> tag(node, "agent_stderr").put("line", e.line());
            case IpcEvent.Done e -> tag(node, "done").put("stopReason", e.stopReason());
        }
        return node;
    }

    /** Roughly the bytes {@code event} takes on the socket: its texts plus the envelope. */
    static long weight(IpcEvent event) {
        long texts = switch (event) {
            case IpcEvent.AgentText e -> length(e.text());
            case IpcEvent.Thought e -> length(e.text());
            case IpcEvent.UserText e -> length(e.text());
            case IpcEvent.ToolCall e -> length(e.title()) + length(e.input()) + length(e.output())
                    + e.locations().stream().mapToLong(IpcEventCodec::length).sum();
            case IpcEvent.Plan e -> e.entries().stream().mapToLong(p -> length(p.content()) + 32).sum();
            case IpcEvent.PermissionAsked e -> length(e.title());
            case IpcEvent.PermissionEscalated e -> length(e.toolTitle()) + length(e.toolInput()) + length(e.message())
                    + 256;
            case IpcEvent.ClientOperation e -> length(e.summary()) + length(e.details());
            case IpcEvent.Wire e -> length(e.json());
            case IpcEvent.AgentStderr e -> length(e.line());
            case IpcEvent.ModeChanged e -> 0;
            case IpcEvent.Signal e -> SignalCodec.weight(e.signal());
            case IpcEvent.OtherUpdate e -> 0;
            case IpcEvent.Done e -> 0;
        };
        return texts + 64;
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    IpcEvent decode(JsonNode node) throws IpcFormatException {
        if (node == null || !node.isObject()) {
            throw new IpcFormatException("event must be a JSON object");
        }
        String type = text(node, "type");
        if (type == null) {
            throw new IpcFormatException("event has no \"type\"");
        }
        return switch (type) {
            case "agent_text" -> new IpcEvent.AgentText(text(node, "text"));
            case "thought" -> new IpcEvent.Thought(text(node, "text"));
            case "user_text" -> new IpcEvent.UserText(text(node, "text"));
            case "tool_call" -> new IpcEvent.ToolCall(text(node, "toolCallId"), text(node, "title"),
                    text(node, "kind"), text(node, "status"), text(node, "input"), strings(node.get("locations")),
                    text(node, "output"), node.path("readLike").asBoolean(false), text(node, "name"));
            case "plan" -> new IpcEvent.Plan(planEntries(node.get("entries")));
            case "mode_changed" -> new IpcEvent.ModeChanged(text(node, "modeId"));
            case "permission_asked" -> new IpcEvent.PermissionAsked(text(node, "title"), text(node, "kind"),
                    text(node, "outcome"), text(node, "optionId"));
            case "permission_escalated" -> new IpcEvent.PermissionEscalated(text(node, "sessionId"),
                    text(node, "toolCallId"), text(node, "toolName"), text(node, "toolTitle"), text(node, "toolInput"),
                    text(node, "toolKind"), text(node, "matchedRule"), text(node, "message"), text(node, "timestamp"));
            case "client_operation" -> new IpcEvent.ClientOperation(text(node, "method"), text(node, "summary"),
                    text(node, "status"), text(node, "details"));
            case SignalCodec.TYPE -> SignalCodec.decode(node);
            case "other_update" -> new IpcEvent.OtherUpdate(text(node, "sessionUpdate"));
            case "wire" -> new IpcEvent.Wire(direction(text(node, "direction")), text(node, "json"));
            case "agent_stderr" -> new IpcEvent.AgentStderr(text(node, "line"));
            case "done" -> new IpcEvent.Done(stopReason(node));
            // A newer owner may stream kinds this caller does not know: keep the tag, drop nothing else.
            default -> new IpcEvent.OtherUpdate(type);
        };
    }

    ObjectNode encodeResult(IpcTurnResult result) {
        return mapper.createObjectNode()
                .put("stopReason", result.stopReason())
                .put("permissionsGranted", result.permissionsGranted())
                .put("permissionsDenied", result.permissionsDenied())
                .put("sessionId", result.sessionId())
                .put("recordId", result.recordId());
    }

    IpcTurnResult decodeResult(JsonNode node) throws IpcFormatException {
        if (node == null || !node.isObject()) {
            throw new IpcFormatException("turn result must be a JSON object");
        }
        return new IpcTurnResult(stopReason(node), node.path("permissionsGranted").asInt(0),
                node.path("permissionsDenied").asInt(0), text(node, "sessionId"), text(node, "recordId"));
    }

    private static ObjectNode tag(ObjectNode node, String type) {
        return node.put("type", type);
    }

    private static String stopReason(JsonNode node) throws IpcFormatException {
        String value = text(node, "stopReason");
        if (value == null || value.isBlank()) {
            throw new IpcFormatException("\"stopReason\" is missing");
        }
        return value;
    }

    private static IpcEvent.WireDirection direction(String value) throws IpcFormatException {
        return switch (value == null ? "" : value) {
            case "to_agent" -> IpcEvent.WireDirection.TO_AGENT;
            case "from_agent" -> IpcEvent.WireDirection.FROM_AGENT;
            default -> throw new IpcFormatException("wire event direction must be to_agent or from_agent, got " + value);
        };
    }

    private static List<IpcEvent.PlanEntry> planEntries(JsonNode array) throws IpcFormatException {
        List<IpcEvent.PlanEntry> entries = new ArrayList<>();
        if (array == null || array.isNull()) {
            return entries;
        }
        if (!array.isArray()) {
            throw new IpcFormatException("plan \"entries\" must be an array");
        }
        for (JsonNode entry : array) {
            entries.add(new IpcEvent.PlanEntry(text(entry, "content"), text(entry, "priority"), text(entry, "status")));
        }
        return entries;
    }

    private static List<String> strings(JsonNode array) throws IpcFormatException {
        List<String> values = new ArrayList<>();
        if (array == null || array.isNull()) {
            return values;
        }
        if (!array.isArray()) {
            throw new IpcFormatException("\"locations\" must be an array");
        }
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
