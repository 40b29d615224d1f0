package dev.acpx.api;

import java.util.Optional;

/**
 * What approve-reads does when it would ask a person and nobody can be asked (no TTY): refuse, or
 * fail with PERMISSION_PROMPT_UNAVAILABLE. Spelled on disk and on the command line as in the Node acpx.
 */
public enum NonInteractivePermissions {
    DENY("deny"),
    FAIL("fail");

    private final String wireName;

    NonInteractivePermissions(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in config files, flags and JSON output. */
    public String wireName() {
        return wireName;
    }

    /** Parses the exact wire spelling (case-sensitive, like the Node acpx). */
    public static Optional<NonInteractivePermissions> fromWire(String value) {
        for (NonInteractivePermissions candidate : values()) {
            if (candidate.wireName.equals(value)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The accepted spellings, for error messages. */
    public static String choices() {
        return "deny or fail";
    }
}
