package dev.acpx.core.capability;

/** A client capability request that failed; {@link #code()} is the JSON-RPC error code to answer with. */
public final class CapabilityException extends Exception {

    /** Bad parameters: a path outside the session directory, a negative limit, an unknown terminal. */
    public static final int INVALID_PARAMS = -32602;
    /** ACP's "resource not found": the file does not exist. */
    public static final int RESOURCE_NOT_FOUND = -32002;
    /** Anything else: I/O failures, a process that cannot start. */
    public static final int INTERNAL_ERROR = -32603;

    private final int code;

    public CapabilityException(int code, String message) {
        super(message);
        this.code = code;
    }

    public CapabilityException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public int code() {
        return code;
    }

    static CapabilityException invalidParams(String message) {
        return new CapabilityException(INVALID_PARAMS, message);
    }
}
