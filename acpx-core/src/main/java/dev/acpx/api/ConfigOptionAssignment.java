package dev.acpx.api;

/**
 * One {@code exec --config-option KEY=VALUE}: a session config option set with
 * {@code session/set_config_option} after {@code session/new} and before the prompt.
 */
public record ConfigOptionAssignment(String key, String value) {
    public ConfigOptionAssignment {
        key = key == null ? "" : key.trim();
        value = value == null ? "" : value.trim();
        if (key.isEmpty() || value.isEmpty()) {
            throw AcpxException.usage(MESSAGE);
        }
    }

    private static final String MESSAGE = "Session config option must use \"<key>=<value>\" with non-empty parts";

    /** Splits {@code key=value} at the first {@code =}; both parts trimmed and non-empty (SPEC-P2 §8). */
    public static ConfigOptionAssignment parse(String assignment) {
        int eq = assignment == null ? -1 : assignment.indexOf('=');
        if (eq <= 0 || eq == assignment.length() - 1) {
            throw AcpxException.usage(MESSAGE);
        }
        return new ConfigOptionAssignment(assignment.substring(0, eq), assignment.substring(eq + 1));
    }
}
