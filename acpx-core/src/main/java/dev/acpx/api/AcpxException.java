package dev.acpx.api;

/**
 * The one exception type the runtime throws to its host: a kind (which fixes the CLI exit
 * code), a one-line message that says what failed and what to do, and optional detail
 * (such as the tail of the agent's stderr) shown only when asked for.
 */
public final class AcpxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String detail;
    private final AgentError agentError;

    public AcpxException(ErrorKind kind, String message) {
        this(kind, message, null, null);
    }

    public AcpxException(ErrorKind kind, String message, String detail, Throwable cause) {
        this(kind, message, detail, cause, null);
    }

    public AcpxException(ErrorKind kind, String message, String detail, Throwable cause, AgentError agentError) {
        super(message, cause);
        this.kind = kind;
        this.detail = detail;
        this.agentError = agentError;
    }

    public static AcpxException usage(String message) {
        return new AcpxException(ErrorKind.USAGE, message);
    }

    public static AcpxException runtime(String message) {
        return new AcpxException(ErrorKind.RUNTIME, message);
    }

    /** The kind of failure. */
    public ErrorKind kind() {
        return kind;
    }

    /** The agent's JSON-RPC error behind this failure, or null when acpx itself failed. */
    public AgentError agentError() {
        return agentError;
    }

    /** Extra diagnostic text (for example the agent's stderr tail), or null. */
    public String detail() {
        return detail;
    }
}
