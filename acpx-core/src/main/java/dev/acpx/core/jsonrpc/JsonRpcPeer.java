package dev.acpx.core.jsonrpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of a JSON-RPC 2.0 connection framed as NDJSON. Knows nothing of ACP.
 *
 * <p>Ordering guarantee: notifications are dispatched on the single reader thread in arrival order,
 * and response futures are completed on that same thread, so when a request's future completes,
 * every notification that arrived before its response has been handled. (Callbacks chained on the
 * futures with non-async stages also run on the reader thread and must therefore be quick.)
 *
 * <p>Threads: the reader, the writer ({@link LineWriter}) and the threads serving incoming requests
 * are platform threads, because each may block in a native read or write of a pipe (or on a
 * terminal, for a permission question): on a virtual thread that pins its carrier, and with
 * every carrier pinned nothing else scheduled on virtual threads runs again (an owner's socket
 * once went deaf that way after 30 s idle on a 2-CPU machine).
 */
public final class JsonRpcPeer implements AutoCloseable {

    /** Protocol-level notification that asks the other side to abandon a request. */
    public static final String CANCEL_REQUEST_METHOD = "$/cancel_request";

    /** The close reason when the peer simply ended its output; other reasons are our reader's failures. */
    public static final String END_OF_INPUT = "the peer closed its output (end of input)";

    /** How long a notification's sender waits to hear that its line was written (or the pipe broke). */
    private static final Duration NOTIFY_WAIT = Duration.ofSeconds(1);

    private final InputStream in;
    private final LineWriter out;
    private final ObjectMapper mapper;
    private final ObjectWriter writer;
    private final PeerListener listener;
    private final int maxLineBytes;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong nextId = new AtomicLong(0); // from 0, as the Node acpx numbers its requests
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, NotificationHandler> notificationHandlers = new ConcurrentHashMap<>();
    private final IncomingRequests incoming;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closedLocally;
    private volatile String closeReason;

    public JsonRpcPeer(InputStream in, OutputStream out, ObjectMapper mapper, PeerListener listener, int maxLineBytes) {
        this.in = in;
        this.out = new LineWriter(out, this::closedMessage);
        this.mapper = mapper;
        // One message per line: never pretty-print, whatever the caller's mapper says.
        this.writer = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
        this.listener = listener == null ? PeerListener.none() : listener;
        this.incoming = new IncomingRequests(this::write, this.listener);
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Starts the reader thread; handlers registered before this see every message. Idempotent. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("jsonrpc-reader").start(this::readLoop);
        }
    }

    public void onRequest(String method, RequestHandler handler) {
        incoming.register(method, handler);
    }

    public void onNotification(String method, NotificationHandler handler) {
        notificationHandlers.put(method, handler);
    }

    /** Sends a request; the returned record carries the wire id so the caller can cancel it. */
    public Outgoing send(String method, JsonNode params) {
        long id = nextId.getAndIncrement();
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        pending.put(id, future);
        if (closing.get()) {
            // close() may have drained `pending` before we registered: fail this one ourselves.
            pending.remove(id);
            future.completeExceptionally(new PeerClosedException(closedMessage()));
            return new Outgoing(id, future);
        }
        ObjectNode message = envelope();
        message.put("id", id);
        message.put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        try {
            // Not waited for: a peer that does not read must not hold the caller past its own deadline.
            write(message).whenComplete((ok, failure) -> {
                if (failure != null && pending.remove(id, future)) {
                    future.completeExceptionally(failure);
                }
            });
        } catch (PeerClosedException e) {
            pending.remove(id);
            future.completeExceptionally(e);
        }
        return new Outgoing(id, future);
    }

    /** Sends a request and returns its result future (fails with JsonRpcException or PeerClosedException). */
    public CompletableFuture<JsonNode> request(String method, JsonNode params) {
        return send(method, params).result();
    }

    public void notify(String method, JsonNode params) throws PeerClosedException {
        ObjectNode message = envelope();
        message.put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        LineWriter.awaitBriefly(write(message), NOTIFY_WAIT);
    }

    /** Asks the remote peer to abandon a request we sent; its response (usually an error) still comes. */
    public void cancelRequest(Object id) throws PeerClosedException {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.set("requestId", mapper.valueToTree(id));
        notify(CANCEL_REQUEST_METHOD, params);
    }

    /** Completes when the input has ended or the peer was closed. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public boolean isClosed() {
        return closing.get();
    }

    /**
     * Waits up to {@code max} for every line queued so far to be written; false when the peer
     * still has not taken them (it does not read). For a process about to exit after its last answer.
     */
    public boolean flush(Duration max) throws InterruptedException {
        return out.flush(max);
    }

    /**
     * Closes output and input, fails every pending request and interrupts running handlers. Never
     * blocks: the output is closed by the writer thread once the lines queued before are written.
     */
    @Override
    public void close() {
        closedLocally = true;
        shutdown("connection closed locally");
        out.close();
        try {
            in.close();
        } catch (IOException ignored) {
            // same: closing is best effort and must not mask the caller's own error
        }
    }

    // ---------------------------------------------------------------- reading

    private void readLoop() {
        NdjsonReader reader = new NdjsonReader(in, maxLineBytes);
        String reason = END_OF_INPUT;
        try {
            NdjsonReader.Line line;
            while ((line = reader.nextRaw()) != null) {
                switch (line) {
                    case NdjsonReader.Line.Oversized o -> listener.onProblem(
                            "skipped a line of " + o.bytes() + " bytes (limit " + maxLineBytes + " bytes)");
                    case NdjsonReader.Line.Raw r -> handleLine(r.bytes());
                    case NdjsonReader.Line.Text t -> handleLine(t.text());
                }
            }
        } catch (IOException e) {
            reason = "reading from the peer failed: " + e.getMessage();
        } catch (OutOfMemoryError e) {
            // A line near the size limit on a small heap: end the connection with a reason rather than
            // let the reader thread die silently and leave every pending request waiting forever.
            reason = "the reader ran out of memory on a line from the peer (heap limit "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)";
            listener.onProblem(reason);
        } catch (RuntimeException | Error e) {
            // A bug in a handler must not leave requests hanging forever.
            reason = "the reader stopped on an unexpected error: " + e;
            listener.onProblem(reason);
        }
        shutdown(reason);
    }

    /**
     * A line as bytes: parsed straight from them unless the listener wants the raw text (or the
     * bytes are not well-formed UTF-8, which only the decoder replaces as promised). A big line then
     * exists once as bytes, released as the parser reads them, and never also as a string.
     */
    private void handleLine(ByteLine line) {
        if (listener.wantsRawLine(line.size()) || !line.isWellFormedUtf8()) {
            handleLine(line.drainText());
            return;
        }
        if (line.isBlank()) {
            return;
        }
        listener.onMessageBytes(Direction.IN, line);
        String shown = line.size() <= 200 ? line.head(200)
                : line.head(200) + "... (" + line.size() + " bytes)";
        JsonNode node;
        try {
            node = mapper.readTree(line.drain());
        } catch (JsonProcessingException e) {
            listener.onProblem("invalid JSON from peer: " + e.getOriginalMessage());
            return;
        } catch (IOException e) {
            listener.onProblem("unreadable line from peer: " + e.getMessage());
            return;
        }
        dispatch(node, shown);
    }

    private void handleLine(String text) {
        listener.onMessage(Direction.IN, text);
        if (text.isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            listener.onProblem("invalid JSON from peer: " + e.getOriginalMessage());
            return;
        }
        dispatch(node, abbreviate(text));
    }

    /** Routes one parsed message; {@code shown} (the line, abbreviated) is only quoted in problems. */
    private void dispatch(JsonNode node, String shown) {
        if (node == null || !node.isObject()) {
            listener.onProblem("JSON-RPC message is not an object: " + shown);
            return;
        }
        if (!"2.0".equals(node.path("jsonrpc").asText(null))) {
            listener.onProblem("message without \"jsonrpc\": \"2.0\": " + shown);
            return;
        }
        JsonNode method = node.get("method");
        JsonNode id = node.get("id");
        if (method != null) {
            if (!method.isTextual()) {
                listener.onProblem("\"method\" is not a string: " + shown);
            } else if (id == null) {
                dispatchNotification(method.asText(), node.get("params"));
            } else {
                incoming.dispatch(id, method.asText(), node.get("params"));
            }
        } else if (id != null && (node.has("result") || node.has("error"))) {
            dispatchResponse(id, node);
        } else {
            listener.onProblem("not a request, response or notification: " + shown);
        }
    }

    private void dispatchNotification(String method, JsonNode params) {
        if (CANCEL_REQUEST_METHOD.equals(method)) {
            incoming.cancel(params == null ? null : params.get("requestId"));
            return;
        }
        NotificationHandler handler = notificationHandlers.get(method);
        if (handler == null) {
            listener.onProblem("ignored notification for unknown method " + method);
            return;
        }
        try {
            handler.handle(params);
        } catch (Exception e) {
            listener.onProblem("handler for notification " + method + " failed: " + e);
        }
    }

    private void dispatchResponse(JsonNode id, JsonNode message) {
        if (!id.canConvertToExactIntegral() || !id.isNumber()) {
            listener.onProblem("response to unknown id " + id);
            return;
        }
        long key = id.asLong();
        CompletableFuture<JsonNode> future = pending.remove(key);
        if (future == null) {
            // Ids are handed out in order, so one below the next id was already answered.
            listener.onProblem((key >= 0 && key < nextId.get() ? "duplicate or late response for id " : "response to unknown id ") + id);
            return;
        }
        JsonNode error = message.get("error");
        if (error != null && !error.isNull()) {
            future.completeExceptionally(new JsonRpcException(
                    error.path("code").asInt(JsonRpcException.INTERNAL_ERROR),
                    error.path("message").asText("(no message)"),
                    error.get("data")));
        } else {
            JsonNode result = message.get("result");
            future.complete(result == null ? NullNode.getInstance() : result);
        }
    }

    // ---------------------------------------------------------------- writing

    /** Queues one message; the future tells when it was written. Only a closed peer fails at once. */
    private CompletableFuture<Void> write(ObjectNode message) throws PeerClosedException {
        String line;
        try {
            line = writer.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree: " + e.getMessage(), e);
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        // Held only to keep what the listener sees in the order the lines are queued; no I/O to the peer.
        writeLock.lock();
        try {
            if (closedLocally) {
                throw new PeerClosedException(closedMessage());
            }
            // Reported before the bytes leave: the agent's answer can be read (and reported) before
            // they are written, and json output must show a request before what it caused.
            listener.onMessage(Direction.OUT, line);
            return out.write(bytes);
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- shutdown

    private void shutdown(String reason) {
        if (closing.compareAndSet(false, true)) {
            closeReason = reason;
        }
        List<CompletableFuture<JsonNode>> failed = new ArrayList<>();
        for (Long id : List.copyOf(pending.keySet())) {
            CompletableFuture<JsonNode> future = pending.remove(id);
            if (future != null) {
                failed.add(future);
            }
        }
        for (CompletableFuture<JsonNode> future : failed) {
            future.completeExceptionally(new PeerClosedException(closedMessage()));
        }
        incoming.interruptAll();
        closed.complete(null);
    }

    private String closedMessage() {
        String reason = closeReason;
        return "JSON-RPC connection is closed: " + (reason == null ? "closed" : reason);
    }

    static ObjectNode envelope() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("jsonrpc", "2.0");
        return node;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " chars)";
    }
}
