package dev.acpx.core.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests the other side sends us: each is served on a thread of its own, answered with its
 * handler's result or error, and interrupted when the sender cancels it or the connection closes.
 * The peer's reader only hands them over, so a slow handler never holds up the messages behind it.
 */
final class IncomingRequests {

    /** Queues one message for the peer; only a closed peer fails at once. */
    @FunctionalInterface
    interface Sender {
        void send(ObjectNode message) throws PeerClosedException;
    }

    private final Map<String, RequestHandler> handlers = new ConcurrentHashMap<>();
    /** Threads serving requests, keyed by {@link #idKey(JsonNode)}, so cancels can interrupt them. */
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private final Sender sender;
    private final PeerListener listener;

    IncomingRequests(Sender sender, PeerListener listener) {
        this.sender = sender;
        this.listener = listener;
    }

    void register(String method, RequestHandler handler) {
        handlers.put(method, handler);
    }

    void dispatch(JsonNode id, String method, JsonNode params) {
        if (!(id.isIntegralNumber() || id.isTextual())) {
            listener.onProblem("request id must be a string or an integer: " + id);
            return;
        }
        RequestHandler handler = handlers.get(method);
        if (handler == null) {
            respondError(id, new JsonRpcException(JsonRpcException.METHOD_NOT_FOUND, "Method not found",
                    JsonNodeFactory.instance.objectNode().put("method", method)));
            return;
        }
        String key = idKey(id);
        // Registered before start so that a cancel arriving right after the request finds it.
        // A platform thread: a handler may block in native I/O (a permission question read from a terminal).
        Thread thread = Thread.ofPlatform().daemon().name("jsonrpc-request-" + method)
                .unstarted(() -> serve(id, key, method, handler, params));
        if (running.putIfAbsent(key, thread) != null) {
            listener.onProblem("duplicate request id " + id + " for " + method + " while the first is running");
            respondError(id, new JsonRpcException(JsonRpcException.INVALID_REQUEST, "Duplicate request id " + id));
            return;
        }
        thread.start();
    }

    /** The sender abandoned request {@code requestId}: its handler is interrupted (it answers "cancelled"). */
    void cancel(JsonNode requestId) {
        Thread thread = requestId == null ? null : running.get(idKey(requestId));
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** The connection is closing: every handler still running is interrupted. */
    void interruptAll() {
        for (Thread thread : List.copyOf(running.values())) {
            thread.interrupt();
        }
    }

    private void serve(JsonNode id, String key, String method, RequestHandler handler, JsonNode params) {
        try {
            JsonNode result = handler.handle(params);
            ObjectNode message = JsonRpcPeer.envelope();
            message.set("id", id);
            message.set("result", result == null ? NullNode.getInstance() : result);
            running.remove(key);
            sender.send(message);
        } catch (JsonRpcException e) {
            running.remove(key);
            respondError(id, e);
        } catch (InterruptedException e) {
            running.remove(key);
            respondError(id, new JsonRpcException(JsonRpcException.REQUEST_CANCELLED, "Request cancelled: " + method));
        } catch (PeerClosedException e) {
            running.remove(key); // nobody left to answer
        } catch (IOException | RuntimeException | Error e) {
            running.remove(key);
            respondError(id, new JsonRpcException(JsonRpcException.INTERNAL_ERROR,
                    "Internal error while handling " + method + ": " + e));
        }
    }

    private void respondError(JsonNode id, JsonRpcException error) {
        ObjectNode message = JsonRpcPeer.envelope();
        message.set("id", id);
        ObjectNode body = message.putObject("error");
        body.put("code", error.code());
        body.put("message", error.getMessage() == null ? "error" : error.getMessage());
        if (error.data() != null) {
            body.set("data", error.data());
        }
        try {
            sender.send(message);
        } catch (PeerClosedException ignored) {
            // the requester is gone, so is the need for an answer
        }
    }

    private static String idKey(JsonNode id) {
        return (id.isTextual() ? "s:" : "n:") + id.asText();
    }
}
