package dev.acpx.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The lines of an {@code acpx.session.journal.v1} journal: verbatim ACP JSON-RPC messages and the
 * three markers (segment anchor, turn_started, turn_result), with keys in the Node acpx's order.
 */
public final class JournalLine {
    public static final String SCHEMA = "acpx.session.journal.v1";

    private JournalLine() {}

    /** A decoded line. */
    sealed interface Entry {}
    record Message(ObjectNode message) implements Entry {}
    record Anchor(String recordId, long sequence, long messageSequence, String requestId) implements Entry {}
    record Started(String requestId) implements Entry {}
    record Result(String requestId, ObjectNode result) implements Entry {}

    static ObjectNode anchor(String recordId, long sequence, long messageSequence, String requestId) {
        ObjectNode n = marker("segment");
        n.put("record_id", recordId);
        n.put("sequence", sequence);
        n.put("message_sequence", messageSequence);
        if (requestId == null) n.putNull("request_id"); else n.put("request_id", requestId);
        return n;
    }

    static ObjectNode started(String requestId) {
        ObjectNode n = marker("turn_started");
        n.put("request_id", requestId);
        return n;
    }

    static ObjectNode result(String requestId, TurnOutcome outcome) {
        ObjectNode n = marker("turn_result");
        n.put("request_id", requestId);
        n.set("result", resultObject(outcome));
        return n;
    }

    static ObjectNode resultObject(TurnOutcome outcome) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        switch (outcome) {
            case TurnOutcome.Stopped s -> {
                r.put("status", "cancelled".equals(s.stopReason()) ? "cancelled" : "completed");
                r.put("stopReason", s.stopReason());
            }
            case TurnOutcome.Failed f -> {
                r.put("status", "failed");
                ObjectNode e = r.putObject("error");
                e.put("message", f.message() == null ? "unknown error" : f.message());
                if (f.code() != null) e.put("code", f.code());
                if (f.detailCode() != null) e.put("detailCode", f.detailCode());
                e.put("retryable", false);
            }
        }
        return r;
    }

    private static ObjectNode marker(String type) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("schema", SCHEMA);
        n.put("type", type);
        return n;
    }

    /** The Node acpx's isAcpJsonRpcMessage: jsonrpc "2.0" and a request, notification or response. */
    /**
     * As {@link #isAcpMessage(JsonNode)}, read as a stream of tokens: the whole text must be one
     * well-formed JSON object, but no tree (and no string of a big value) is built, so a 50 MB
     * line costs the journal no copy.
     */
    static boolean isAcpMessage(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
            return false;
        }
        boolean version = false;
        boolean method = false;
        boolean methodText = false;
        boolean id = false;
        boolean validId = false;
        boolean result = false;
        boolean error = false;
        com.fasterxml.jackson.core.JsonToken t;
        while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String name = p.currentName();
            com.fasterxml.jackson.core.JsonToken v = p.nextToken();
            switch (name) {
                case "jsonrpc" -> version = v == com.fasterxml.jackson.core.JsonToken.VALUE_STRING && "2.0".equals(p.getText());
                case "method" -> {
                    method = true;
                    methodText = v == com.fasterxml.jackson.core.JsonToken.VALUE_STRING;
                }
                case "id" -> {
                    id = true;
                    validId = v == com.fasterxml.jackson.core.JsonToken.VALUE_STRING || v.isNumeric()
                            || v == com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
                }
                case "result" -> result = true;
                case "error" -> error = v == com.fasterxml.jackson.core.JsonToken.START_OBJECT;
                default -> { }
            }
            p.skipChildren();
        }
        if (t != com.fasterxml.jackson.core.JsonToken.END_OBJECT || p.nextToken() != null || !version) {
            return false;
        }
        if (method) {
            return methodText && (!id || validId);
        }
        return id && validId && (result || error);
    }

    static boolean isAcpMessage(JsonNode v) {
        if (!(v instanceof ObjectNode o) || !"2.0".equals(o.path("jsonrpc").textValue())) {
            return false;
        }
        JsonNode id = o.get("id");
        boolean validId = id != null && (id.isTextual() || id.isNumber() || id.isNull());
        if (o.get("method") != null) {
            return o.get("method").isTextual() && (id == null || validId);
        }
        return validId && (o.has("result") || o.get("error") instanceof ObjectNode);
    }

    /**
     * Decodes one complete line. Before the segment's anchor, anything unreadable is skipped (null);
     * after it, a line that is not JSON, not an ACP message and not a marker is corruption.
     */
    static Entry decode(ObjectMapper mapper, String line, boolean anchored) {
        JsonNode v;
        try {
            v = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            v = null;
        }
        if (v == null || v.isMissingNode()) {
            if (anchored) {
                throw JournalErrors.corrupt("Invalid complete line in session journal");
            }
            return null;
        }
        if (isAcpMessage(v)) {
            return new Message((ObjectNode) v);
        }
        Entry marker = marker(v);
        if (marker != null) {
            return marker;
        }
        if (anchored || (v.isObject() && v.has("schema"))) {
            throw JournalErrors.corrupt("Invalid record in session journal");
        }
        return null;
    }

    private static Entry marker(JsonNode v) {
        if (!(v instanceof ObjectNode o) || !SCHEMA.equals(o.path("schema").textValue())) {
            return null;
        }
        String requestId = o.path("request_id").textValue();
        return switch (o.path("type").asText("")) {
            case "segment" -> {
                JsonNode seq = o.get("sequence");
                JsonNode msg = o.get("message_sequence");
                JsonNode req = o.get("request_id");
                if (!o.path("record_id").isTextual() || !isCount(seq) || !isCount(msg)
                        || req == null || !(req.isNull() || req.isTextual())) {
                    yield null;
                }
                yield new Anchor(o.get("record_id").textValue(), seq.longValue(), msg.longValue(), requestId);
            }
            case "turn_started" -> requestId == null || requestId.isEmpty() ? null : new Started(requestId);
            case "turn_result" -> requestId == null || requestId.isEmpty() || !isResult(o.get("result")) ? null
                    : new Result(requestId, (ObjectNode) o.get("result"));
            default -> null;
        };
    }

    private static boolean isCount(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.longValue() >= 0;
    }

    private static boolean isResult(JsonNode r) {
        if (!(r instanceof ObjectNode o)) {
            return false;
        }
        String status = o.path("status").textValue();
        if ("failed".equals(status)) {
            return o.get("error") instanceof ObjectNode e && e.path("message").isTextual();
        }
        return "completed".equals(status) || "cancelled".equals(status);
    }
}
