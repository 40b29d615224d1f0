package dev.acpx.core.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RawLinesTest {
    @Test
    void knowsAnUpdateNotificationFromItsHead() {
        assertTrue(RawLines.isUpdateNotification(
                "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"x\":\"" + "y".repeat(1000) + "\"}}"));
        // a request, an answer and a permission question are not updates
        assertFalse(RawLines.isUpdateNotification("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"session/update\"}"));
        assertFalse(RawLines.isUpdateNotification("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"));
        assertFalse(RawLines.isUpdateNotification(
                "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"session/request_permission\",\"params\":{}}"));
        // the method far from the start: taken for something else (shown, never lost)
        assertFalse(RawLines.isUpdateNotification(
                "{\"params\":{\"x\":\"" + "y".repeat(500) + "\"},\"jsonrpc\":\"2.0\",\"method\":\"session/update\"}"));
        assertFalse(RawLines.isUpdateNotification("not json"));
    }
}
