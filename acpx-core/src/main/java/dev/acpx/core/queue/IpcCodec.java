package dev.acpx.core.queue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.engine.HostStatus;
import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionMode;
import dev.acpx.core.jsonrpc.LineLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The queue socket's wire form: each {@link IpcRequest} and {@link IpcReply} is one JSON object on
 * one line, tagged by {@code type}. Decoding never throws anything but {@link IpcFormatException},
 * so a malformed line costs one error reply, never the owner.
 */
public final class IpcCodec {

    /**
     * The version of this wire form (requests, replies, events). Raise it with any change a peer of
     * the previous version would misread; owner and caller of different versions never talk turns.
     */
    public static final int PROTOCOL_VERSION = 2;

    private final ObjectMapper mapper;
    // One line per message whatever the host's mapper is configured to do.
    private final ObjectWriter writer;
    private final IpcEventCodec events;

    public IpcCodec(ObjectMapper mapper) {
        // Our own copy: a queue message may carry a string as long as a whole agent line (a raw
        // message for json output), far past Jackson's default limit of 20 million characters.
        this.mapper = mapper.copy();
        this.mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(LineLimits.QUEUE_LINE_BYTES).build());
        this.writer = this.mapper.writer().without(SerializationFeature.INDENT_OUTPUT)
                .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        this.events = new IpcEventCodec(this.mapper);
    }

    /** One line (without the newline) for a request. */
    public String encode(IpcRequest request) {
        return write(tree(request));
    }

    /** One line (without the newline) for a reply. */
    public String encode(IpcReply reply) {
        return write(tree(reply));
    }

    /** Streams a request into {@code out} (no newline), without building it as a string first. */
    void write(IpcRequest request, OutputStream out) throws IOException {
        stream(tree(request), out);
    }

    /** Streams a reply into {@code out} (no newline). */
    void write(IpcReply reply, OutputStream out) throws IOException {
        stream(tree(reply), out);
    }

    /** Decodes a request read as a stream of bytes (one message). */
    IpcRequest decodeRequest(InputStream message) throws IpcFormatException {
        return decodeRequest(parse(message));
    }

    /** Decodes a reply read as a stream of bytes (one message). */
    IpcReply decodeReply(InputStream message) throws IpcFormatException {
        return decodeReply(parse(message));
    }

    private ObjectNode tree(IpcRequest request) {
        ObjectNode node = mapper.createObjectNode();
        switch (request) {
            case IpcRequest.Submit s -> {
                node.put("type", "submit").put("requestId", s.requestId()).put("noWait", s.noWait());
                TurnRequest t = s.turn();
                ObjectNode turn = node.putObject("turn").put("prompt", t.prompt())
                        .put("permissionMode", t.permissionMode().wireName())
                        .put("nonInteractivePermissions", t.nonInteractive().wireName())
                        .put("callerHasTty", t.callerHasTty());
                QuestionCodec.encodeRules(t.rules(), turn);
                if (t.timeoutMillis() != null) {
                    turn.put("timeoutMs", t.timeoutMillis());
                }
                turn.put("wire", t.interest().wire()).put("agentStderr", t.interest().agentStderr());
                if (t.interest().wireLimit() != Long.MAX_VALUE) {
                    turn.put("wireLimit", t.interest().wireLimit());
                }
                if (!t.interest().updateWire()) {
                    turn.put("wireUpdates", false);
                }
                if (t.promptRetries() > 0) {
                    turn.put("promptRetries", t.promptRetries());
                }
            }
            case IpcRequest.Cancel c -> node.put("type", "cancel").put("requestId", c.requestId());
            case IpcRequest.SetMode m -> node.put("type", "set_mode").put("modeId", m.modeId());
            case IpcRequest.SetConfig c -> node.put("type", "set_config").put("key", c.key()).put("value", c.value());
            case IpcRequest.Status s -> node.put("type", "status");
            case IpcRequest.Ping p -> node.put("type", "ping").put("protocol", p.protocolVersion());
            case CallerAnswer a -> QuestionCodec.encode(a, node);
        }
        return node;
    }

    private ObjectNode tree(IpcReply reply) {
        ObjectNode node = mapper.createObjectNode();
        switch (reply) {
            case IpcReply.Accepted a -> node.put("type", "accepted").put("requestId", a.requestId())
                    .put("position", a.position());
            case IpcReply.Event e -> node.put("type", "event").set("event", events.encode(e.event()));
            case IpcReply.Done d -> node.put("type", "done").set("result", events.encodeResult(d.result()));
            case IpcReply.Error e -> node.put("type", "error").put("kind", e.kind().name())
                    .put("message", e.message()).put("retryable", e.retryable());
            case IpcReply.StatusReply s -> node.put("type", "status").set("status", encodeStatus(s.status()));
            case IpcReply.Ok o -> node.put("type", "ok").put("applied", o.applied()).put("message", o.message());
            case OwnerQuestion q -> QuestionCodec.encode(q, node);
        }
        return node;
    }

    public IpcRequest decodeRequest(String line) throws IpcFormatException {
        return decodeRequest(parse(line));
    }

    private IpcRequest decodeRequest(JsonNode node) throws IpcFormatException {
        String type = IpcEventCodec.text(node, "type");
        return switch (type == null ? "" : type) {
            case "submit" -> new IpcRequest.Submit(required(node, "requestId"), turn(node.get("turn")),
                    node.path("noWait").asBoolean(false));
            case "cancel" -> new IpcRequest.Cancel(IpcEventCodec.text(node, "requestId"));
            case "set_mode" -> new IpcRequest.SetMode(required(node, "modeId"));
            case "set_config" -> new IpcRequest.SetConfig(required(node, "key"), required(node, "value"));
            case "status" -> new IpcRequest.Status();
            // A ping without a version is from a build before versioning: version 0, refused.
            case "ping" -> new IpcRequest.Ping(node.path("protocol").asInt(0));
            case QuestionCodec.ANSWER -> QuestionCodec.answer(node);
            default -> throw new IpcFormatException("unknown request type \"" + type
                    + "\" (this owner understands submit, cancel, set_mode, set_config, status, ping, answer)");
        };
    }

    public IpcReply decodeReply(String line) throws IpcFormatException {
        return decodeReply(parse(line));
    }

    private IpcReply decodeReply(JsonNode node) throws IpcFormatException {
        String type = IpcEventCodec.text(node, "type");
        return switch (type == null ? "" : type) {
            case "accepted" -> new IpcReply.Accepted(IpcEventCodec.text(node, "requestId"),
                    node.path("position").asInt(0));
            case "event" -> new IpcReply.Event(events.decode(node.get("event")));
            case "done" -> new IpcReply.Done(events.decodeResult(node.get("result")));
            case "error" -> new IpcReply.Error(kind(IpcEventCodec.text(node, "kind")),
                    String.valueOf(IpcEventCodec.text(node, "message")), node.path("retryable").asBoolean(false));
            case "status" -> new IpcReply.StatusReply(decodeStatus(node.get("status")));
            case "ok" -> new IpcReply.Ok(node.path("applied").asBoolean(false), IpcEventCodec.text(node, "message"));
            case QuestionCodec.QUESTION -> QuestionCodec.question(node);
            default -> throw new IpcFormatException("unknown reply type \"" + type + "\"");
        };
    }

    private TurnRequest turn(JsonNode node) throws IpcFormatException {
        if (node == null || !node.isObject()) {
            throw new IpcFormatException("submit needs a \"turn\" object");
        }
        String mode = required(node, "permissionMode");
        String nonInteractive = required(node, "nonInteractivePermissions");
        JsonNode timeout = node.get("timeoutMs");
        try {
            return new TurnRequest(required(node, "prompt"),
                    PermissionMode.fromWire(mode).orElseThrow(() -> new IpcFormatException(
                            "unknown permissionMode \"" + mode + "\"; use " + PermissionMode.choices())),
                    NonInteractivePermissions.fromWire(nonInteractive).orElseThrow(() -> new IpcFormatException(
                            "unknown nonInteractivePermissions \"" + nonInteractive + "\"; use "
                                    + NonInteractivePermissions.choices())),
                    timeout == null || timeout.isNull() ? null : timeout.asLong(),
                    node.path("callerHasTty").asBoolean(false),
                    // A caller of an older build did not say: it gets everything, as it always did.
                    new EventInterest(node.path("wire").asBoolean(true), node.path("agentStderr").asBoolean(true),
                            node.path("wireLimit").asLong(Long.MAX_VALUE), node.path("wireUpdates").asBoolean(true)),
                    QuestionCodec.decodeRules(node),
                    // absent from an older caller: no retries, as before
                    node.path("promptRetries").asInt(0));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IpcFormatException("invalid turn: " + e.getMessage());
        }
    }

    private ObjectNode encodeStatus(OwnerStatus s) {
        ObjectNode node = mapper.createObjectNode().put("recordId", s.recordId()).put("ownerPid", s.ownerPid())
                .put("ownerStartedAt", instant(s.ownerStartedAt())).put("state", s.state())
                .put("runningRequestId", s.runningRequestId()).put("queueDepth", s.queueDepth())
                .put("turnsCompleted", s.turnsCompleted()).put("idleSince", instant(s.idleSince()))
                .put("ttlMs", s.ttlMillis());
        HostStatus h = s.host();
        if (h != null) {
            node.putObject("host").put("agentPid", h.agentPid()).put("agentCommand", h.agentCommand())
                    .put("cwd", h.cwd()).put("acpSessionId", h.acpSessionId())
                    .put("agentSessionId", h.agentSessionId()).put("modeId", h.modeId());
        }
        return node;
    }

    private OwnerStatus decodeStatus(JsonNode node) throws IpcFormatException {
        if (node == null || !node.isObject()) {
            throw new IpcFormatException("status reply needs a \"status\" object");
        }
        JsonNode h = node.get("host");
        HostStatus host = h == null || !h.isObject() ? null : new HostStatus(
                h.hasNonNull("agentPid") ? h.get("agentPid").asLong() : null, IpcEventCodec.text(h, "agentCommand"),
                IpcEventCodec.text(h, "cwd"), IpcEventCodec.text(h, "acpSessionId"),
                IpcEventCodec.text(h, "agentSessionId"), IpcEventCodec.text(h, "modeId"));
        return new OwnerStatus(IpcEventCodec.text(node, "recordId"), node.path("ownerPid").asLong(),
                instant(node, "ownerStartedAt"), IpcEventCodec.text(node, "state"),
                IpcEventCodec.text(node, "runningRequestId"), node.path("queueDepth").asInt(),
                node.path("turnsCompleted").asLong(), instant(node, "idleSince"), node.path("ttlMs").asLong(), host);
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(JsonNode node, String field) throws IpcFormatException {
        String value = IpcEventCodec.text(node, field);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IpcFormatException("\"" + field + "\" is not an ISO instant: " + value);
        }
    }

    private static ErrorKind kind(String name) {
        for (ErrorKind kind : ErrorKind.values()) {
            if (kind.name().equals(name)) {
                return kind;
            }
        }
        // An owner of a newer build may name a kind this caller lacks: it is still a failure.
        return ErrorKind.RUNTIME;
    }

    private static String required(JsonNode node, String field) throws IpcFormatException {
        String value = IpcEventCodec.text(node, field);
        if (value == null) {
            throw new IpcFormatException("\"" + field + "\" is missing");
        }
        return value;
    }

    private JsonNode parse(String line) throws IpcFormatException {
        try {
            return object(mapper.readTree(line));
        } catch (JsonProcessingException e) {
            throw new IpcFormatException("not JSON: " + e.getOriginalMessage());
        }
    }

    private JsonNode parse(InputStream message) throws IpcFormatException {
        try {
            return object(mapper.readTree(message));
        } catch (JsonProcessingException e) {
            throw new IpcFormatException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IpcFormatException("unreadable: " + e.getMessage());
        }
    }

    private static JsonNode object(JsonNode node) throws IpcFormatException {
        if (node == null || !node.isObject()) {
            throw new IpcFormatException("a queue message must be a JSON object");
        }
        return node;
    }

    private void stream(ObjectNode node, OutputStream out) throws IOException {
        // Through a Writer, as the string form goes: a lone surrogate in agent text becomes '?'
        // instead of failing the whole message, as Jackson's own UTF-8 output would.
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.writeValue(text, node);
        text.flush();
    }

    private String write(ObjectNode node) {
        try {
            return writer.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
