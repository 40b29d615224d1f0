package dev.acpx.core.config;

import java.util.Optional;

/**
 * What to do when the agent requires authentication and no credential is available.
 * Spelled on disk and on the command line as in the Node acpx.
 */
public enum AuthPolicy {
    SKIP("skip"),
    FAIL("fail");

    private final String wireName;

    AuthPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in config files, flags and JSON output. */
    public String wireName() {
        return wireName;
    }

    /** Parses the exact wire spelling (case-sensitive, like the Node acpx). */
    public static Optional<AuthPolicy> fromWire(String value) {
        for (AuthPolicy candidate : values()) {
            if (candidate.wireName.equals(value)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The accepted spellings, for error messages: "a, b, or c". */
    public static String choices() {
        return WireNames.choices(values(), AuthPolicy::wireName);
    }
}
