package dev.acpx.core.jsonrpc;

/**
 * The one line cap of acpx, and what follows from it. Every NDJSON stream we read is bounded so a
 * runaway peer cannot exhaust memory, and the bounds must agree: a message the agent connection
 * accepts has to fit through the queue owner's socket too, or a persistent session fails where
 * {@code exec} works.
 */
public final class LineLimits {
    /** The longest line accepted from an agent; longer ones are skipped and reported. The tunable. */
    public static final int AGENT_LINE_BYTES = 64 * 1024 * 1024;

    /**
     * The longest queue-socket message: one agent line carried as a JSON string inside an event
     * (as the json output needs it verbatim). Escaping doubles a quote or backslash and an invalid
     * UTF-8 byte becomes U+FFFD (three bytes), so three times the agent line plus the envelope
     * bounds it. A prompt sent to an owner has the same bound.
     */
    public static final int QUEUE_LINE_BYTES = 3 * AGENT_LINE_BYTES + 1024 * 1024;

    /** An agent's stderr is handed on in pieces of at most this size when a line has no end. */
    public static final int STDERR_PIECE_BYTES = 64 * 1024;

    private LineLimits() {}
}
