package dev.acpx.core.config;

import java.util.Optional;

/**
 * Output format of the CLI (--format).
 * Spelled on disk and on the command line as in the Node acpx.
 */
public enum OutputFormat {
    TEXT("text"),
    JSON("json"),
    QUIET("quiet");

    private final String wireName;

    OutputFormat(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in config files, flags and JSON output. */
    public String wireName() {
        return wireName;
    }

    /** Parses the exact wire spelling (case-sensitive, like the Node acpx). */
    public static Optional<OutputFormat> fromWire(String value) {
        for (OutputFormat candidate : values()) {
            if (candidate.wireName.equals(value)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The accepted spellings, for error messages: "a, b, or c". */
    public static String choices() {
        return WireNames.choices(values(), OutputFormat::wireName);
    }
}
