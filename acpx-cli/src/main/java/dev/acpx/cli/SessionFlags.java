package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.SessionAgentOptions;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The values of the session-option flags (SPEC-P2 §8), checked with the Node acpx 0.19.1's rules
 * and words (src/cli/flags.ts): each bad value is a usage error naming what is expected.
 */
final class SessionFlags {
    private SessionFlags() {}

    /** {@code --model}, {@code --allowed-tools}, {@code --max-turns} and the system prompt flags, together. */
    static SessionAgentOptions agentOptions(GlobalOptions g) {
        String replace = nonEmpty("--system-prompt <text>", "System prompt", g.systemPrompt);
        String append = nonEmpty("--append-system-prompt <text>", "Append system prompt", g.appendSystemPrompt);
        Integer maxTurns = g.maxTurns == null ? null : positive(g.maxTurns);
        String model = g.model == null || g.model.isBlank() ? null : g.model.strip();
        return new SessionAgentOptions(model, allowedTools(g.allowedTools), maxTurns, replace, append);
    }

    /** {@code --allowed-tools}: comma-separated, items trimmed; {@code ""} is the empty list. */
    static List<String> allowedTools(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : trimmed.split(",", -1)) {
            if (item.strip().isEmpty()) {
                throw invalid("--allowed-tools <list>", value,
                        "Allowed tools must be a comma-separated list without empty entries");
            }
            items.add(item.strip());
        }
        return items;
    }

    /** {@code --prompt-retries}: a non-negative integer, 0 when not given. */
    static int promptRetries(GlobalOptions g) {
        if (g.promptRetries == null) {
            return 0;
        }
        Long n = integer(g.promptRetries);
        if (n == null || n < 0 || n > Integer.MAX_VALUE) {
            throw invalid("--prompt-retries <count>", g.promptRetries, "Prompt retries must be a non-negative integer");
        }
        return n.intValue();
    }

    private static int positive(String value) {
        Long n = integer(value);
        if (n == null || n <= 0 || n > Integer.MAX_VALUE) {
            throw invalid("--max-turns <count>", value, "Max turns must be a positive integer");
        }
        return n.intValue();
    }

    /** An integral number as JavaScript's {@code Number()} reads one ({@code "3"}, {@code " 3 "}, {@code "3.0"}). */
    private static Long integer(String value) {
        String s = value.strip();
        if (s.isEmpty()) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(s);
            return d.stripTrailingZeros().scale() <= 0 ? d.longValueExact() : null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static String nonEmpty(String option, String label, String value) {
        if (value == null) {
            return null;
        }
        if (value.strip().isEmpty()) {
            throw invalid(option, value, label + " must not be empty");
        }
        return value.strip();
    }

    /** {@code exec --config-option KEY=VALUE}, each checked as the Node acpx does. */
    static java.util.List<dev.acpx.api.ConfigOptionAssignment> configOptions(java.util.List<String> values) {
        java.util.List<dev.acpx.api.ConfigOptionAssignment> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(dev.acpx.api.ConfigOptionAssignment.parse(v));
            } catch (AcpxException e) {
                throw invalid("--config-option <key=value>", v, e.getMessage());
            }
        }
        return out;
    }

    /**
     * The Node acpx's words for a bad option value (commander's): {@code error: option '--max-turns
     * <count>' argument '0' is invalid. Max turns must be a positive integer}; a usage error (exit 2).
     */
    static AcpxException invalid(String option, String value, String reason) {
        return AcpxException.usage("error: option '" + option + "' argument '" + value + "' is invalid. " + reason);
    }
}
