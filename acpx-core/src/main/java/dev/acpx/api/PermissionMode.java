package dev.acpx.api;

import java.util.Optional;

/**
 * How permissions are decided when no rule of a {@link PermissionRules} does: the CLI's
 * {@code --approve-all}, {@code --approve-reads} (the default) and {@code --deny-all}. One type
 * for the flags, the config files, the queue owner's messages and the runtime API; spelled on disk
 * and on the command line as in the Node acpx.
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

    /** The accepted spellings, for error messages: "approve-all, approve-reads, or deny-all". */
    public static String choices() {
        return "approve-all, approve-reads, or deny-all";
    }
}
