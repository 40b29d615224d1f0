package dev.acpx.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads and appends the record's {@code messages}, the Zed-style conversation both Node acpx 0.1.15
 * and 0.19.1 write: {@code {"User":{"id","content":[{"Text":..}|{"Mention":..}|..]}}},
 * {@code {"Agent":{"content":[{"Text":..}|{"Thinking":..}|{"ToolUse":..}],"tool_results":{}}}} and
 * the bare string {@code "Resume"}. Turns we append use the same shape plus a {@code created_at}
 * inside the message, which the Node acpx tolerates and carries through its own rewrites.
 */
final class TurnHistory {

    private TurnHistory() {}

    static List<HistoryEntry> read(SessionRecord record) {
        List<HistoryEntry> entries = new ArrayList<>();
        JsonNode messages = record.json().get("messages");
        if (messages == null || !messages.isArray()) {
            return entries;
        }
        Instant fallback = record.updatedAt();
        for (JsonNode message : messages) {
            if (message.get("User") instanceof ObjectNode user) {
                add(entries, HistoryEntry.Role.USER, user, fallback);
            } else if (message.get("Agent") instanceof ObjectNode agent) {
                add(entries, HistoryEntry.Role.ASSISTANT, agent, fallback);
            }
            // "Resume" markers and shapes we do not know carry no turn text.
        }
        return entries;
    }

    static void append(SessionRecord record, HistoryEntry.Role role, String text, Instant at) {
        ObjectNode json = record.json();
        ArrayNode messages = json.get("messages") instanceof ArrayNode a ? a : json.putArray("messages");
        ObjectNode body = messages.addObject().putObject(role == HistoryEntry.Role.USER ? "User" : "Agent");
        if (role == HistoryEntry.Role.USER) {
            body.put("id", UUID.randomUUID().toString());
        }
        body.putArray("content").addObject().put("Text", text);
        if (role == HistoryEntry.Role.ASSISTANT) {
            body.putObject("tool_results");
        }
        body.put("created_at", Timestamps.format(at));
        record.setUpdatedAt(at);
    }

    private static void add(List<HistoryEntry> entries, HistoryEntry.Role role, ObjectNode body, Instant fallback) {
        List<String> parts = new ArrayList<>();
        for (JsonNode part : body.path("content")) {
            String text = partText(part);
            if (!text.isEmpty()) {
                parts.add(text);
            }
        }
        String joined = String.join(" ", parts).strip();
        if (joined.isEmpty()) {
            return;
        }
        Instant at = Timestamps.parseOrNull(body.path("created_at").asText(null));
        entries.add(new HistoryEntry(role, at != null ? at : fallback, joined));
    }

    private static String partText(JsonNode part) {
        if (part.get("Text") != null && part.get("Text").isTextual()) {
            return part.get("Text").textValue();
        }
        if (part.has("Mention")) {
            return part.path("Mention").path("content").asText("");
        }
        if (part.has("Image")) {
            String source = part.path("Image").path("source").asText("");
            return source.isEmpty() ? "[image]" : source;
        }
        if (part.has("Audio")) {
            return "[audio] " + part.path("Audio").path("mime_type").asText("audio");
        }
        if (part.has("Thinking")) {
            return part.path("Thinking").path("text").asText("");
        }
        if (part.has("RedactedThinking")) {
            return "[redacted_thinking]";
        }
        if (part.has("ToolUse")) {
            return "[tool:" + part.path("ToolUse").path("name").asText("") + "]";
        }
        return "";
    }
}
