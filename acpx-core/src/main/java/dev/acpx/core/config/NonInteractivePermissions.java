package dev.acpx.core.config;

import java.util.Optional;

/**
 * What approve-reads does with a permission request when no TTY can ask the user.
 * Spelled on disk and on the command line as in the Node acpx.
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

    /** The accepted spellings, for error messages: "a, b, or c". */
    public static String choices() {
        return WireNames.choices(values(), NonInteractivePermissions::wireName);
    }
}
