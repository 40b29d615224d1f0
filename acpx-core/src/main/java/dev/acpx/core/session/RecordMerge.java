package dev.acpx.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a process that keeps a record in memory (a session's holder) writes it back without undoing
 * what others wrote meanwhile: a three-way merge per top-level key. The holder's own changes are
 * the keys where its copy differs from the version it last read or wrote ({@code base}); only those
 * are copied onto the record as it is on disk now, every other key keeps the disk's value.
 *
 * <p>One rule on top: a record closed on disk stays closed, with its first closing (when and why).
 * A holder cannot reopen it; it learns of the close from {@link #apply}'s result instead.
 */
public final class RecordMerge {
    private static final List<String> CLOSING = List.of("closed", "closed_at", "closed_reason");

    private RecordMerge() {}

    /**
     * Copies the changes {@code mine} made since {@code base} onto {@code disk}.
     *
     * @return true when {@code disk} was already closed (by someone else, or by an earlier write of
     *         the holder itself when {@code base} was closed too)
     */
    public static boolean apply(ObjectNode base, ObjectNode mine, SessionRecord disk) {
        ObjectNode target = disk.json();
        boolean closedOnDisk = disk.closed();
        ObjectNode closing = target.objectNode();
        for (String key : CLOSING) {
            if (target.has(key)) {
                closing.set(key, target.get(key));
            }
        }
        Set<String> keys = new LinkedHashSet<>();
        base.fieldNames().forEachRemaining(keys::add);
        mine.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            JsonNode before = base.get(key);
            JsonNode now = mine.get(key);
            if (Objects.equals(before, now)) {
                continue;
            }
            if (now == null) {
                target.remove(key);
            } else {
                target.set(key, now.deepCopy());
            }
        }
        if (closedOnDisk) {
            for (String key : CLOSING) {
                if (closing.has(key)) {
                    target.set(key, closing.get(key)); // in place: the file keeps its key order
                } else {
                    target.remove(key);
                }
            }
        }
        return closedOnDisk;
    }
}
