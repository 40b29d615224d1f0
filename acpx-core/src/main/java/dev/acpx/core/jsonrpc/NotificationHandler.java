package dev.acpx.core.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Serves one incoming notification method. Runs on the reader thread, in arrival order, so it must
 * not block; whatever it throws is reported to the listener and otherwise ignored.
 */
@FunctionalInterface
public interface NotificationHandler {
    void handle(JsonNode params) throws Exception;
}
