package dev.acpx.core.journal;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;

/**
 * The watch errors of the Node acpx (SPEC-P2 §1.3), with its messages; the Node detail code
 * (WATCH_CURSOR_INVALID, ...) is the exception's detail.
 */
public final class JournalErrors {
    private JournalErrors() {}

    static AcpxException corrupt(String message) {
        return new AcpxException(ErrorKind.RUNTIME, message, "WATCH_JOURNAL_CORRUPT", null);
    }

    static AcpxException cursorInvalid() {
        return new AcpxException(ErrorKind.USAGE, "Invalid session watch cursor", "WATCH_CURSOR_INVALID", null);
    }

    static AcpxException cursorForeign() {
        return new AcpxException(ErrorKind.USAGE, "Cursor belongs to another session", "WATCH_CURSOR_FOREIGN", null);
    }

    static AcpxException cursorBeyond(boolean first) {
        return new AcpxException(ErrorKind.USAGE, "Cursor is beyond the available session journal",
                first ? "WATCH_CURSOR_FUTURE" : "WATCH_CURSOR_EXPIRED", null);
    }

    static AcpxException cursorExpired() {
        return new AcpxException(ErrorKind.USAGE, "Cursor is older than retained session history",
                "WATCH_CURSOR_EXPIRED", null);
    }

    static AcpxException outcomeUnknown(String requestId) {
        return new AcpxException(ErrorKind.RUNTIME, "Session owner ended without a settled result for request "
                + requestId + "; its outcome is unknown. Resume watching from the last cursor after recovery,"
                + " and do not automatically replay the prompt.", "WATCH_OUTCOME_UNKNOWN", null);
    }

    /** The detail code of a journal error, or null for any other exception. */
    public static String detailCode(AcpxException e) {
        String d = e.detail();
        return d != null && (d.startsWith("WATCH_") || ARCHIVE_CODES.contains(d)) ? d : null;
    }

    /** Whether the code is the watch's (origin "runtime", retryable false) rather than the archive's (origin "cli"). */
    public static boolean isWatchCode(String detailCode) {
        return detailCode != null && detailCode.startsWith("WATCH_");
    }

    private static final java.util.Set<String> ARCHIVE_CODES = java.util.Set.of("not-found", "session-locked",
            "ambiguous-session", "invalid-archive", "unsupported-format-version", "agent-mismatch",
            "session-scope-exists", "session-provider-exists");
}
