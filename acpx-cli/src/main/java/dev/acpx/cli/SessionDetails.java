package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.SessionInfo;
import java.util.ArrayList;
import java.util.List;

/** {@code sessions show} and {@code sessions history}, as the Node acpx 0.19.1 prints them. */
final class SessionDetails {
    private final LocalOutput out;

    SessionDetails(LocalOutput out) {
        this.out = out;
    }

    void show(SessionInfo s) {
        if (out.json()) {
            out.emit(out.record(s));
            return;
        }
        JsonNode r = out.disk(s);
        PrintLines p = new PrintLines(out);
        if (out.quiet()) {
            p.line(s.recordId());
            return;
        }
        p.line("id: " + s.recordId());
        p.line("sessionId: " + LocalOutput.text(r, "acp_session_id"));
        p.line("agentSessionId: " + value(r, "agent_session_id"));
        p.line("agent: " + LocalOutput.text(r, "agent_command"));
        p.line("cwd: " + LocalOutput.text(r, "cwd"));
        p.line("name: " + value(r, "name"));
        p.line("created: " + LocalOutput.text(r, "created_at"));
        p.line("lastActivity: " + LocalOutput.text(r, "last_used_at"));
        p.line("lastPrompt: " + value(r, "last_prompt_at"));
        p.line("closed: " + (r.path("closed").asBoolean(false) ? "yes" : "no"));
        p.line("closedAt: " + value(r, "closed_at"));
        p.line("pid: " + value(r, "pid"));
        p.line("agentStartedAt: " + value(r, "agent_started_at"));
        p.line("lastExitCode: " + value(r, "last_agent_exit_code"));
        p.line("lastExitSignal: " + value(r, "last_agent_exit_signal"));
        p.line("lastExitAt: " + value(r, "last_agent_exit_at"));
        p.line("disconnectReason: " + value(r, "last_agent_disconnect_reason"));
        p.line("historyEntries: " + entries(r).size());
    }

    /** The last {@code limit} entries of the record's conversation. */
    void history(SessionInfo s, int limit) {
        history(s.recordId(), s.acpSessionId(), out.disk(s), limit, limit);
    }

    /** {@code sessions read}: the same list; {@code shownLimit} is the json "limit" (0: no --tail). */
    void history(String recordId, String acpSessionId, JsonNode r, int limit, int shownLimit) {
        List<Entry> all = entries(r);
        List<Entry> visible = all.subList(Math.max(0, all.size() - limit), all.size());
        PrintLines p = new PrintLines(out);
        if (out.json()) {
            ObjectNode node = out.object().put("id", recordId).put("sessionId", acpSessionId)
                    .put("limit", shownLimit).put("count", visible.size());
            ArrayNode array = node.putArray("entries");
            visible.forEach(e -> array.addObject().put("role", e.role()).put("timestamp", e.timestamp())
                    .put("textPreview", e.text()));
            out.emit(node);
            return;
        }
        if (out.quiet()) {
            visible.forEach(e -> p.line(e.text()));
            return;
        }
        p.line("session: " + recordId + " (" + visible.size() + "/" + all.size() + " shown)");
        if (visible.isEmpty()) {
            p.line("No history");
            return;
        }
        visible.forEach(e -> p.line(e.timestamp() + "\t" + e.role() + "\t" + e.text()));
    }

    private static String value(JsonNode r, String key) {
        return LocalOutput.dash(LocalOutput.text(r, key));
    }

    record Entry(String role, String timestamp, String text) {}

    /**
     * User and assistant messages with text, in order. The Node acpx stamps each with the record's
     * {@code updated_at}; turns we wrote carry their own {@code created_at}, which is shown instead.
     */
    static List<Entry> entries(JsonNode r) {
        List<Entry> entries = new ArrayList<>();
        String fallback = LocalOutput.text(r, "updated_at");
        for (JsonNode m : r.path("messages")) {
            boolean user = m.has("User");
            JsonNode body = user ? m.get("User") : m.get("Agent");
            if (body == null || !body.isObject()) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode part : body.path("content")) {
                String t = user ? userText(part) : agentText(part);
                parts.add(t);
            }
            String text = String.join(" ", parts).strip();
            if (!text.isEmpty()) {
                String at = body.path("created_at").isTextual() ? body.get("created_at").textValue() : fallback;
                entries.add(new Entry(user ? "user" : "assistant", at, text));
            }
        }
        return entries;
    }

    private static String userText(JsonNode part) {
        if (part.path("Text").isTextual()) {
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
            String mime = part.path("Audio").path("mime_type").asText("");
            return "[audio] " + (mime.isEmpty() ? "audio" : mime);
        }
        return "";
    }

    private static String agentText(JsonNode part) {
        if (part.path("Text").isTextual()) {
            return part.get("Text").textValue();
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
