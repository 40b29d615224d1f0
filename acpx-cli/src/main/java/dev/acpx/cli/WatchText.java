package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The text of a watched turn, as the Node acpx's text formatter writes a live prompt: the agent's
 * text, a {@code [client] <method> (running)} section per client operation, a newline to end the
 * turn's last line; the prompt's final response is not rendered (no {@code [done]}). Tool, plan and
 * thought blocks are not rendered here (see docs/COMPATIBILITY.md, Journal).
 */
final class WatchText {
    private static final Set<String> NOT_OPERATIONS = Set.of("session/prompt", "session/cancel", "session/update");

    private final StringBuilder out = new StringBuilder();
    private boolean atLineStart = true;
    private boolean wroteAny;

    /** A new turn: a fresh formatter, as the Node watch makes one at every turn_started. */
    void reset() {
        atLineStart = true;
        wroteAny = false;
    }

    void message(JsonNode m) {
        String method = m.path("method").textValue();
        if ("session/update".equals(method)) {
            String text = agentText(m);
            if (text != null) {
                write(text);
            }
        } else if (method != null && !NOT_OPERATIONS.contains(method)) {
            if (!atLineStart) write("\n");
            if (wroteAny) write("\n");
            write("[client] " + method + " (running)\n");
        }
    }

    /** Ends the turn's last line. */
    void flush() {
        if (!atLineStart) {
            write("\n");
        }
    }

    /** What was written since the last take. */
    String take() {
        String s = out.toString();
        out.setLength(0);
        return s;
    }

    private void write(String chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        out.append(chunk);
        wroteAny = true;
        atLineStart = chunk.endsWith("\n");
    }

    /** The text of an agent_message_chunk update, or null for any other message. */
    static String agentText(JsonNode m) {
        JsonNode u = m.path("params").path("update");
        if (!"session/update".equals(m.path("method").asText()) || !"agent_message_chunk".equals(u.path("sessionUpdate").asText())) {
            return null;
        }
        JsonNode c = u.path("content");
        return "text".equals(c.path("type").asText()) ? c.path("text").asText() : null;
    }
}
