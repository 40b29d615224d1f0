package dev.acpx.core.journal;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code sessions watch}: replays a journal after a cursor, then follows it (SPEC-P2 §1.3): pages of
 * 1 MiB, a poll every 100 ms once caught up, and after each caught-up read the follow rules: a live
 * owner keeps it going; an owner gone with a turn pending is tolerated once, then the outcome is
 * unknown (an error); no owner and nothing pending: go on while the record is open, end once closed.
 */
public final class JournalWatch {
    static final long PAGE_BYTES = 1024 * 1024;
    static final long POLL_MILLIS = 100;

    /** What the watch asks about the session between reads. */
    public interface Session {
        /** Whether a process owning the session (ours or a Node acpx queue owner) is alive. */
        boolean ownerAlive();

        /** Whether the record is still open (a deleted record counts as closed). */
        boolean open();
    }

    private final JournalReader reader;
    private final String recordId;
    private final Session session;

    public JournalWatch(JournalReader reader, String recordId, Session session) {
        this.reader = reader;
        this.recordId = recordId;
        this.session = session;
    }

    /**
     * Emits every event after {@code cursor} (null: all retained) to {@code sink} until the session
     * ends or {@code stopped} says so; returns normally then. Cursor and journal errors throw.
     */
    public void run(String cursor, Consumer<JournalEvent> sink, BooleanSupplier stopped) throws InterruptedException {
        long after = cursor == null ? -1 : WatchCursor.parse(recordId, cursor);
        boolean first = true;
        String missingRequest = null;
        while (!stopped.getAsBoolean()) {
            JournalReader.Snapshot snap = reader.read(after, PAGE_BYTES);
            checkRetained(after, snap, first);
            first = false;
            for (JournalEvent e : snap.events()) {
                if (stopped.getAsBoolean()) {
                    return;
                }
                after = e.sequence();
                sink.accept(e);
            }
            if (snap.hasMore()) {
                continue;
            }
            if (session.ownerAlive()) {
                missingRequest = null;
            } else {
                String pending = snap.requestId();
                if (pending != null && pending.equals(missingRequest)) {
                    throw JournalErrors.outcomeUnknown(pending);
                }
                missingRequest = pending;
                if (pending == null && !session.open()) {
                    return;
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    static void checkRetained(long after, JournalReader.Snapshot snap, boolean first) {
        if (after < 0) {
            return;
        }
        if (after > snap.sequence()) {
            throw JournalErrors.cursorBeyond(first);
        }
        if (snap.firstSequence() != null && after < snap.firstSequence()) {
            throw JournalErrors.cursorExpired();
        }
    }
}
