package dev.acpx.core.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON-RPC error object, received from the remote peer or to be sent to it. */
public final class JsonRpcException extends Exception {

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** LSP-style code for a request aborted by {@code $/cancel_request}. */
    public static final int REQUEST_CANCELLED = -32800;

    private final int code;
    private final transient JsonNode data;

    public JsonRpcException(int code, String message, JsonNode data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    public JsonRpcException(int code, String message) {
        this(code, message, null);
    }

    public int code() {
        return code;
    }

    /** The optional {@code data} member, or {@code null}. */
    public JsonNode data() {
        return data;
    }

    @Override
    public String toString() {
        return "JSON-RPC error " + code + ": " + getMessage() + (data == null ? "" : " " + data);
    }
}
