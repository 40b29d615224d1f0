package dev.acpx.core.session;

import java.time.Instant;
import java.util.Objects;

/**
 * One turn of a session's history, independent of how the record stores it.
 *
 * @param role        who spoke
 * @param timestamp   when; for turns written by the Node acpx (which keeps no per-message time)
 *                    this is the record's {@code updated_at}, as the Node {@code sessions history}
 *                    prints it; null only if the record has neither
 * @param textPreview the turn's text parts joined by spaces (tool uses as {@code [tool:name]})
 */
public record HistoryEntry(Role role, Instant timestamp, String textPreview) {

    public HistoryEntry {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(textPreview, "textPreview");
    }

    /** Speaker of a turn; {@link #wireName()} is the Node acpx's spelling in json output. */
    public enum Role {
        USER("user"),
        ASSISTANT("assistant");

        private final String wireName;

        Role(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}
