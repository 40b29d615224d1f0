package dev.acpx.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Whether a line from the agent is a JSON-RPC 2.0 message, checked with a streaming parser (no tree,
 * big string values skipped unread), because json output promises nothing else on stdout: an
 * agent's stray print, a half line or a {@code "jsonrpc": "1.0"} object is not copied there.
 */
final class JsonRpcLines {
    private final JsonFactory factory;

    JsonRpcLines(JsonFactory factory) {
        this.factory = factory;
    }

    boolean isMessage(String line) {
        try (JsonParser p = factory.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean version = false;
            boolean method = false;
            boolean id = false;
            boolean outcome = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "jsonrpc" -> version = value == JsonToken.VALUE_STRING && "2.0".equals(p.getText());
                    case "method" -> method = value == JsonToken.VALUE_STRING;
                    case "id" -> id = true;
                    case "result", "error" -> outcome = true;
                    default -> { }
                }
                p.skipChildren();
            }
            // The object must close, and nothing may follow it on the line.
            return t == JsonToken.END_OBJECT && p.nextToken() == null && version && (method || (id && outcome));
        } catch (IOException e) {
            return false;
        }
    }
}
