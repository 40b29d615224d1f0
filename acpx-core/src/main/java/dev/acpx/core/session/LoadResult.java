package dev.acpx.core.session;

import java.util.List;

/**
 * What {@link SessionStore#list()} found: the readable records (newest use first, as the Node acpx
 * lists them) and one problem per file that could not be read as a record.
 */
public record LoadResult(List<SessionRecord> records, List<Problem> problems) {

    public LoadResult {
        records = List.copyOf(records);
        problems = List.copyOf(problems);
    }

    /** A skipped file: its name and what was wrong with it. */
    public record Problem(String fileName, String message) {
        @Override
        public String toString() {
            return fileName + ": " + message;
        }
    }
}
