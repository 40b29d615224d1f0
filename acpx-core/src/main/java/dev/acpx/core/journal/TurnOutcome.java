package dev.acpx.core.journal;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.TurnResult;

/** How a journaled turn ended: its ACP stop reason, or the error that ended it. */
public sealed interface TurnOutcome {

    /** The agent answered the prompt; {@code stopReason} "cancelled" makes the status "cancelled". */
    record Stopped(String stopReason) implements TurnOutcome {}

    /** The turn failed; {@code code} is the acpx output code (RUNTIME, TIMEOUT, ...). */
    record Failed(String message, String code, String detailCode) implements TurnOutcome {}

    public static TurnOutcome of(TurnResult result) {
        return new Stopped(result.stopReason().value());
    }

    public static TurnOutcome of(AcpxException e) {
        return new Failed(e.getMessage(), codeOf(e.kind()), "QUEUE_RUNTIME_PROMPT_FAILED");
    }

    public static TurnOutcome ofError(ErrorKind kind, String message) {
        return new Failed(message, codeOf(kind), "QUEUE_RUNTIME_PROMPT_FAILED");
    }

    /** The Node acpx's output code names. */
    public static String codeOf(ErrorKind kind) {
        return kind == ErrorKind.INTERRUPTED ? "RUNTIME" : kind.name();
    }
}
