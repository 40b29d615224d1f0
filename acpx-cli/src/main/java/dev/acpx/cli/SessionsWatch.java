package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.SessionEvent;
import dev.acpx.api.SessionEvents;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code sessions watch [-s NAME] [--cursor C]}: replays the session's journal, then follows it
 * (SPEC-P2 §1.3). json: one line per event in the Node acpx's key order; text: lifecycle lines and
 * each message through the live prompt's text renderer; quiet: the agent's text of each turn, at its end. Never touches the turns.
 */
final class SessionsWatch {
    private final LocalOutput out;
    private final boolean suppressReads;
    private WatchText text;
    private final WatchQuiet quiet = new WatchQuiet();

    SessionsWatch(LocalOutput out, boolean suppressReads) {
        this.out = out;
        this.suppressReads = suppressReads;
    }

    void run(SessionEvents journals, String id, String cursor, dev.acpx.api.CommandLineCall call)
            throws InterruptedException {
        PrintStream stdout = out.stdout();
        text = new WatchText(stdout, out.stderr(), suppressReads, journals.messageEvents());
        AtomicBoolean stopped = new AtomicBoolean();
        // SIGINT/SIGTERM/SIGHUP end a watch quietly with exit 0: the watcher never cancels the turn.
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            call.onSignal(name, () -> stopped.set(true));
        }
        journals.follow(id, cursor, e -> {
            print(e);
            stdout.flush();
            if (stdout.checkError()) {
                stopped.set(true); // EPIPE: the reader went away; stop quietly
            }
        }, stopped::get);
    }

    private void print(SessionEvent e) {
        String cursor = e.cursor();
        PrintStream o = out.stdout();
        JsonNode payload = switch (e) {
            // text without --suppress-reads hands the message on as it is: a big one is parsed once, in core
            case SessionEvent.Message m -> out.json() || out.quiet() || suppressReads ? out.readTree(m.json()) : null;
            case SessionEvent.TurnFinished f -> out.readTree(f.resultJson());
            case SessionEvent.TurnStarted t -> null;
        };
        if (out.json()) {
            ObjectNode n = out.object().put("cursor", cursor);
            switch (e) {
                case SessionEvent.TurnStarted t -> n.put("type", "turn_started").put("requestId", t.requestId());
                case SessionEvent.Message m -> {
                    n.put("type", "message");
                    if (m.requestId() == null) n.putNull("requestId"); else n.put("requestId", m.requestId());
                    n.set("message", suppressReads ? suppressed((ObjectNode) payload) : payload);
                }
                case SessionEvent.TurnFinished f -> n.put("type", "turn_result").put("requestId", f.requestId())
                        .set("result", payload);
            }
            o.print(n + "\n");
            return;
        }
        if (out.quiet()) {
            switch (e) {
                case SessionEvent.TurnStarted t -> quiet.reset();
                case SessionEvent.Message m -> quiet.message(payload);
                case SessionEvent.TurnFinished f -> quiet.flush(false);
            }
            o.print(quiet.take());
            return;
        }
        switch (e) {
            case SessionEvent.TurnStarted t -> {
                text.reset();
                o.print("\n[" + e.requestId() + "] started cursor=" + cursor + "\n");
            }
            case SessionEvent.Message m -> text.message(suppressReads ? suppressed((ObjectNode) payload).toString() : m.json());
            case SessionEvent.TurnFinished f -> {
                text.flush();
                JsonNode r = payload;
                String status = r.path("status").asText();
                String detail = "failed".equals(status) ? r.path("error").path("message").asText(null)
                        : r.path("stopReason").asText(null);
                o.print("\n[" + e.requestId() + "] " + status + (detail == null || detail.isEmpty() ? "" : ": " + detail)
                        + " cursor=" + cursor + "\n");
            }
        }
    }

    /** --suppress-reads: a fs/read_text_file answer's content is not shown. */
    private static JsonNode suppressed(ObjectNode m) {
        JsonNode content = m.path("result").path("content");
        if (content.isTextual() && m.has("id") && !m.has("method")) {
            ObjectNode copy = m.deepCopy();
            ((ObjectNode) copy.get("result")).put("content", "[read output suppressed]");
            return copy;
        }
        return m;
    }
}
