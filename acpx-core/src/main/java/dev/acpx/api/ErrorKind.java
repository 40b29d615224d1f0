package dev.acpx.api;

/**
 * What kind of failure ended a command; each kind has the exit code of the Node acpx
 * (SPEC §8) and the JSON-RPC code its json error object carries.
 */
public enum ErrorKind {
    RUNTIME(1, -32603),
    USAGE(2, -32602),
    TIMEOUT(3, -32070),
    NO_SESSION(4, -32002),
    PERMISSION_DENIED(5, -32071),
    PERMISSION_PROMPT_UNAVAILABLE(5, -32072),
    /** {@code exec} refused by config {@code disableExec: true}. */
    EXEC_DISABLED(1, -32603),
    INTERRUPTED(130, -32603);

    private final int exitCode;
    private final int jsonRpcCode;

    ErrorKind(int exitCode, int jsonRpcCode) {
        this.exitCode = exitCode;
        this.jsonRpcCode = jsonRpcCode;
    }

    /** The process exit code of the CLI for this kind. */
    public int exitCode() {
        return exitCode;
    }

    /** The JSON-RPC error code used in json output for this kind. */
    public int jsonRpcCode() {
        return jsonRpcCode;
    }
}
