package dev.acpx.core.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Serves one incoming request method. Runs on its own virtual thread, so it may block; it is
 * interrupted when the remote peer sends {@code $/cancel_request} for it or the connection ends.
 */
@FunctionalInterface
public interface RequestHandler {
    /**
     * Returns the result (may be {@code null}); a JsonRpcException becomes the error response, an
     * interruption becomes "request cancelled", any other failure an internal error. IOException is
     * allowed so that handlers can send notifications (a PeerClosedException means nobody listens).
     */
    JsonNode handle(JsonNode params) throws JsonRpcException, InterruptedException, java.io.IOException;
}
