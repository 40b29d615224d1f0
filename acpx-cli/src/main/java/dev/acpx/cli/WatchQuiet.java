package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The quiet output of a watched turn, as the Node acpx's quiet formatter makes it: the agent's text
 * up to the prompt's response, printed then (a lone newline for a turn without text), and whatever
 * is left at the turn's result; a fresh formatter per turn.
 */
final class WatchQuiet {
    private final StringBuilder chunks = new StringBuilder();
    private final StringBuilder out = new StringBuilder();
    private boolean finished;
    private boolean written;

    void reset() {
        chunks.setLength(0);
        finished = false;
        written = false;
    }

    void message(JsonNode m) {
        String text = WatchText.agentText(m);
        if (text != null && !finished) {
            chunks.append(text);
        } else if (m.path("result").path("stopReason").isTextual() && !m.has("method") && !finished) {
            finished = true;
            flush(true);
        }
    }

    void flush(boolean allowEmpty) {
        String text = chunks.toString();
        chunks.setLength(0);
        if (text.isEmpty() && (!allowEmpty || written)) {
            return;
        }
        written = true;
        out.append(text.endsWith("\n") ? text : text + "\n");
    }

    String take() {
        String s = out.toString();
        out.setLength(0);
        return s;
    }
}
