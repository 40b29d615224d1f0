package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acpx.api.MessageEvents;
import dev.acpx.api.TurnEvent;
import dev.acpx.cli.output.TextRenderer;
import java.io.PrintStream;

/**
 * The text of watched turns, by the live prompt's own {@link TextRenderer}: each journaled message
 * becomes the events a live turn showed for it ({@link MessageEvents}), so tool blocks, plans,
 * thoughts, {@code [client]} and {@code [error]} lines read as they did live. As the Node acpx's
 * watch, the formatter is new at every turn and the prompt's final answer is not rendered (no
 * {@code [done]}: that event is never made from the journal).
 */
final class WatchText {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean suppressReads;
    private final MessageEvents events;
    private TextRenderer renderer;

    WatchText(PrintStream out, PrintStream err, boolean suppressReads, MessageEvents events) {
        this.out = out;
        this.err = err;
        this.suppressReads = suppressReads;
        this.events = events;
        this.renderer = fresh();
    }

    /** A new turn: a fresh formatter, as the Node watch makes one at every turn_started. */
    void reset() {
        events.reset();
        renderer = fresh();
    }

    /** One journaled ACP message, as compact JSON. */
    void message(String json) {
        for (TurnEvent e : events.events(json)) {
            renderer.onEvent(e);
        }
    }

    /** Ends the turn: a pending thought, then the turn's last line. */
    void flush() {
        renderer.flush();
    }

    private TextRenderer fresh() {
        return new TextRenderer(out, err, suppressReads, false);
    }

    /** The text of an agent_message_chunk update, or null for any other message (quiet output). */
    static String agentText(JsonNode m) {
        JsonNode u = m.path("params").path("update");
        if (!"session/update".equals(m.path("method").asText()) || !"agent_message_chunk".equals(u.path("sessionUpdate").asText())) {
            return null;
        }
        JsonNode c = u.path("content");
        return "text".equals(c.path("type").asText()) ? c.path("text").asText() : null;
    }
}
