package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.core.journal.JournalEvent;
import dev.acpx.core.journal.SessionJournals;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionStore;
import java.io.PrintStream;
import sun.misc.Signal;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code sessions watch [-s NAME] [--cursor C]}: replays the session's journal, then follows it
 * (SPEC-P2 §1.3). json: one line per event in the Node acpx's key order; text: lifecycle lines and
 * the agent's text; quiet: the agent's text of each turn, at its end. Never touches the turns.
 */
final class SessionsWatch {
    private final Context ctx;
    private final LocalOutput out;
    private final boolean suppressReads;
    private final WatchText text = new WatchText();
    private final WatchQuiet quiet = new WatchQuiet();

    SessionsWatch(Context ctx, LocalOutput out, boolean suppressReads) {
        this.ctx = ctx;
        this.out = out;
        this.suppressReads = suppressReads;
    }

    void run(SessionStore store, SessionRecord record, String cursor) throws InterruptedException {
        SessionJournals journals = new SessionJournals(store.sessionsDir().getParent(), store, ctx.mapper());
        PrintStream stdout = out.stdout();
        AtomicBoolean stopped = new AtomicBoolean();
        // SIGINT/SIGTERM/SIGHUP end a watch quietly with exit 0: the watcher never cancels the turn.
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            try {
                Signal.handle(new Signal(name), sig -> stopped.set(true));
            } catch (IllegalArgumentException e) {
                // a signal this platform does not have
            }
        }
        String id = record.acpxRecordId();
        journals.watch(record).run(cursor, e -> {
            print(id, e);
            stdout.flush();
            if (stdout.checkError()) {
                stopped.set(true); // EPIPE: the reader went away; stop quietly
            }
        }, stopped::get);
    }

    private void print(String recordId, JournalEvent e) {
        String cursor = SessionJournals.cursor(recordId, e);
        PrintStream o = out.stdout();
        if (out.json()) {
            ObjectNode n = out.object().put("cursor", cursor);
            switch (e.type()) {
                case TURN_STARTED -> n.put("type", "turn_started").put("requestId", e.requestId());
                case MESSAGE -> {
                    n.put("type", "message");
                    if (e.requestId() == null) n.putNull("requestId"); else n.put("requestId", e.requestId());
                    n.set("message", suppressReads ? suppressed(e.payload()) : e.payload());
                }
                case TURN_RESULT -> n.put("type", "turn_result").put("requestId", e.requestId()).set("result", e.payload());
            }
            o.print(n + "\n");
            return;
        }
        if (out.quiet()) {
            switch (e.type()) {
                case TURN_STARTED -> quiet.reset();
                case MESSAGE -> quiet.message(e.payload());
                case TURN_RESULT -> quiet.flush(false);
            }
            o.print(quiet.take());
            return;
        }
        switch (e.type()) {
            case TURN_STARTED -> {
                text.reset();
                o.print("\n[" + e.requestId() + "] started cursor=" + cursor + "\n");
            }
            case MESSAGE -> {
                text.message(e.payload());
                o.print(text.take());
            }
            case TURN_RESULT -> {
                text.flush();
                o.print(text.take());
                JsonNode r = e.payload();
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
