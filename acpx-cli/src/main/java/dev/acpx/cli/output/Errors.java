package dev.acpx.cli.output;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import java.util.Optional;

/** How an error reads to a human: the one line, and the hint that tells what to do next. */
public final class Errors {
    private Errors() {}

    /** The message as one safe line: it may quote the agent, so control characters are escaped. */
    public static String line(AcpxException error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.kind().name().toLowerCase() + " error"
                : Sanitize.line(message);
    }

    /** The --verbose detail (stack traces, agent stderr): several lines, escapes shown, not obeyed. */
    public static String detail(AcpxException error) {
        return Sanitize.lines(error.detail());
    }

    public static Optional<String> hint(AcpxException error) {
        String lower = line(error).toLowerCase();
        return switch (error.kind()) {
            case TIMEOUT -> Optional.of("hint: increase `--timeout <seconds>` for long-running prompts,"
                    + " or check whether the agent is stalled.");
            case NO_SESSION -> lower.contains("sessions new") ? Optional.empty()
                    : Optional.of("hint: start a session with `acpx <agent> sessions new`, then retry.");
            case RUNTIME -> lower.contains("--verbose") ? Optional.empty()
                    : Optional.of("hint: rerun with `--verbose` to see the agent's stderr and protocol details.");
            default -> Optional.empty();
        };
    }

    /** The Node acpx's name for each kind, carried as {@code data.acpxCode} in json errors. */
    public static String code(ErrorKind kind) {
        return kind.name();
    }
}
