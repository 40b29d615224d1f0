package dev.acpx.core.session;

import java.nio.file.Path;

/** A session file exists but is not a readable {@code acpx.session.v1} record. */
public final class CorruptRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CorruptRecordException(Path file, String problem) {
        super("session record " + file + " is unreadable: " + problem
                + " (move it aside or delete it; other sessions are unaffected)");
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
