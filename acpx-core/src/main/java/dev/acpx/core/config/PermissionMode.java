package dev.acpx.core.config;

import java.util.Optional;

/**
 * Permission policy for agent permission requests (--approve-all, --approve-reads, --deny-all).
 * Spelled on disk and on the command line as in the Node acpx.
 */
public enum PermissionMode {
    APPROVE_ALL("approve-all"),
    APPROVE_READS("approve-reads"),
    DENY_ALL("deny-all");

    private final String wireName;

    PermissionMode(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in config files, flags and JSON output. */
    public String wireName() {
        return wireName;
    }

    /** Parses the exact wire spelling (case-sensitive, like the Node acpx). */
    public static Optional<PermissionMode> fromWire(String value) {
        for (PermissionMode candidate : values()) {
            if (candidate.wireName.equals(value)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The accepted spellings, for error messages: "a, b, or c". */
    public static String choices() {
        return WireNames.choices(values(), PermissionMode::wireName);
    }
}
