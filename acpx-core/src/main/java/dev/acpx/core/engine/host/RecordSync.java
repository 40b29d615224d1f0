package dev.acpx.core.engine.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.core.session.CorruptRecordException;
import dev.acpx.core.session.RecordMerge;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionStore;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How a {@link PersistentHost} writes its session record without undoing anyone else's change:
 * only what the host changed since it last read or wrote the record is merged onto the record as
 * it is on disk, under the record's lock ({@link RecordMerge}). A record closed or deleted by
 * another process (a CLI {@code sessions close}) is never reopened; the host learns of it instead.
 * Not thread-safe: the host calls it under its own lock.
 */
final class RecordSync {
    private final SessionStore store;
    /** The record as this host last read or wrote it: its own changes are what differ from this. */
    private ObjectNode base;
    /** The host creates its record at most once (an embedded one-shot's first write); later writes update. */
    private boolean written;
    /** Why the record on disk is closed (or gone) though this host did not close it; null while it is not. */
    private volatile String closedElsewhere;

    RecordSync(SessionStore store, SessionRecord record) {
        this.store = store;
        this.base = onDisk(store, record);
    }

    /**
     * The merge base: the record as on disk now, so that whatever the caller changed in memory
     * before handing the record over (an embedding JVM's owner mark) counts as this host's change;
     * nothing (every key is then ours) for a record not written yet or unreadable.
     */
    private static ObjectNode onDisk(SessionStore store, SessionRecord record) {
        try {
            return store.load(record.acpxRecordId()).map(r -> r.json())
                    .orElseGet(() -> record.json().objectNode());
        } catch (RuntimeException unreadable) {
            return record.json().objectNode();
        }
    }

    /**
     * Writes the host's changes in {@code record} merged onto the record on disk; returns the merged
     * record the host holds from now on ({@code record} itself when the file was deleted meanwhile).
     *
     * @param finished the host closed the record itself: a close on disk is then no news
     */
    SessionRecord write(SessionRecord record, boolean finished) {
        ObjectNode since = base;
        ObjectNode mine = record.json();
        boolean[] closedOnDisk = new boolean[1];
        Predicate<SessionRecord> merge = disk -> {
            closedOnDisk[0] = RecordMerge.apply(since, mine, disk);
            return true;
        };
        Optional<SessionRecord> merged;
        if (!written) {
            merged = Optional.of(store.updateOrCreate(record, merge));
        } else {
            try {
                merged = store.update(record.acpxRecordId(), merge);
            } catch (CorruptRecordException corrupt) {
                merged = Optional.of(store.updateOrCreate(record, merge)); // ours replaces the damaged file
            }
        }
        written = true;
        if (merged.isEmpty()) {
            closedElsewhere = "its record was deleted";
            return record;
        }
        if (closedOnDisk[0] && !finished) {
            closedElsewhere = merged.get().closedReason() == null ? "closed" : merged.get().closedReason();
        }
        base = merged.get().json().deepCopy();
        return merged.get();
    }

    /**
     * Why the record was closed (or deleted) by someone else, or null. Read from disk when no write
     * has seen it yet, so a holder sees the close at the latest at its next use.
     *
     * @param record the host's record; @param closed the host itself is closed (then nothing is read)
     */
    String closedElsewhere(SessionRecord record, boolean closed) {
        if (closedElsewhere == null && !closed) {
            try {
                Optional<SessionRecord> onDisk = store.load(record.acpxRecordId());
                if (written && onDisk.isEmpty()) {
                    closedElsewhere = "its record was deleted";
                } else if (onDisk.isPresent() && onDisk.get().closed() && !record.closed()) {
                    String reason = onDisk.get().closedReason();
                    closedElsewhere = reason == null ? "closed" : reason;
                }
            } catch (RuntimeException unreadable) {
                // a damaged record is not a close; this host's next write replaces it
            }
        }
        return closedElsewhere;
    }
}
