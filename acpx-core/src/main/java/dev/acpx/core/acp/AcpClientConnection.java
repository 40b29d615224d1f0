package dev.acpx.core.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.jsonrpc.JsonRpcPeer;
import dev.acpx.core.jsonrpc.Outgoing;
import dev.acpx.core.jsonrpc.PeerClosedException;
import dev.acpx.core.protocol.AcpMethod;
import dev.acpx.core.protocol.AcpMethods;
import dev.acpx.core.protocol.AuthenticateRequest;
import dev.acpx.core.protocol.ListSessionsRequest;
import dev.acpx.core.protocol.CancelNotification;
import dev.acpx.core.protocol.ClientCapabilities;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.Implementation;
import dev.acpx.core.protocol.InitializeRequest;
import dev.acpx.core.protocol.InitializeResponse;
import dev.acpx.core.protocol.KillTerminalResponse;
import dev.acpx.core.protocol.LoadSessionRequest;
import dev.acpx.core.protocol.LoadSessionResponse;
import dev.acpx.core.protocol.McpServer;
import dev.acpx.core.protocol.NewSessionRequest;
import dev.acpx.core.protocol.NewSessionResponse;
import dev.acpx.core.protocol.PromptRequest;
import dev.acpx.core.protocol.PromptResponse;
import dev.acpx.core.protocol.ReleaseTerminalResponse;
import dev.acpx.core.protocol.ResumeSessionRequest;
import dev.acpx.core.protocol.ResumeSessionResponse;
import dev.acpx.core.protocol.SessionNotification;
import dev.acpx.core.protocol.SetSessionConfigOptionRequest;
import dev.acpx.core.protocol.SetSessionConfigOptionResponse;
import dev.acpx.core.protocol.SetSessionModeRequest;
import dev.acpx.core.protocol.SetSessionModelRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of an ACP connection, typed. Registers every client method on the peer, then
 * starts it. Blocking calls are interruptible (an interrupted call also sends
 * {@code $/cancel_request}) and fail with PeerClosedException as soon as the agent's output ends.
 *
 * <p>Errors: JsonRpcException when the agent answers with an error, PeerClosedException when the
 * agent is gone, AcpProtocolException when its answer does not fit the schema.
 */
public final class AcpClientConnection implements AutoCloseable {

    private final JsonRpcPeer peer;
    private final ObjectMapper mapper;
    /** The ACP session last opened (new, load or resume) on this connection: the one session/close ends. */
    private volatile String openSession;

    public AcpClientConnection(JsonRpcPeer peer, ObjectMapper mapper, ClientHandler handler) {
        this.peer = peer;
        this.mapper = mapper;
        peer.onNotification(AcpMethods.SESSION_UPDATE.name(),
                params -> handler.sessionUpdate(mapper.treeToValue(params, SessionNotification.class)));
        serve(AcpMethods.SESSION_REQUEST_PERMISSION, handler::requestPermission);
        serve(AcpMethods.FS_READ_TEXT_FILE, handler::readTextFile);
        serve(AcpMethods.FS_WRITE_TEXT_FILE, handler::writeTextFile);
        serve(AcpMethods.TERMINAL_CREATE, handler::createTerminal);
        serve(AcpMethods.TERMINAL_OUTPUT, handler::terminalOutput);
        serve(AcpMethods.TERMINAL_WAIT_FOR_EXIT, handler::waitForTerminalExit);
        serve(AcpMethods.TERMINAL_KILL, r -> {
            handler.killTerminal(r);
            return new KillTerminalResponse(null);
        });
        serve(AcpMethods.TERMINAL_RELEASE, r -> {
            handler.releaseTerminal(r);
            return new ReleaseTerminalResponse(null);
        });
        serve(AcpMethods.ELICITATION_CREATE, handler::createElicitation);
        peer.onNotification(AcpMethods.ELICITATION_COMPLETE.name(), handler::elicitationComplete);
        // Only now: a request arriving before its handler was registered would get "method not found".
        peer.start();
    }

    public InitializeResponse initialize(ClientCapabilities capabilities, Implementation clientInfo)
            throws JsonRpcException, IOException, InterruptedException {
        return initialize(new InitializeRequest(AcpMethods.PROTOCOL_VERSION, capabilities, clientInfo));
    }

    public InitializeResponse initialize(InitializeRequest request)
            throws JsonRpcException, IOException, InterruptedException {
        return call(AcpMethods.INITIALIZE, request);
    }

    public void authenticate(String methodId) throws JsonRpcException, IOException, InterruptedException {
        call(AcpMethods.AUTHENTICATE, new AuthenticateRequest(methodId));
    }

    public NewSessionResponse newSession(String cwd, List<McpServer> mcpServers)
            throws JsonRpcException, IOException, InterruptedException {
        return newSession(cwd, mcpServers, null);
    }

    /** {@code session/new} with {@code _meta} (the session options; null sends none). */
    public NewSessionResponse newSession(String cwd, List<McpServer> mcpServers,
                                         com.fasterxml.jackson.databind.JsonNode meta)
            throws JsonRpcException, IOException, InterruptedException {
        NewSessionResponse created = call(AcpMethods.SESSION_NEW,
                new NewSessionRequest(cwd, mcpServers == null ? List.of() : mcpServers, meta));
        // the session session/close asks the agent to end before it is stopped
        openSession = created.sessionId();
        return created;
    }

    /** Loads a session; the agent replays its history as session/update before this returns. */
    public LoadSessionResponse loadSession(String sessionId, String cwd, List<McpServer> mcpServers)
            throws JsonRpcException, IOException, InterruptedException {
        LoadSessionResponse loaded = call(AcpMethods.SESSION_LOAD,
                new LoadSessionRequest(sessionId, cwd, mcpServers == null ? List.of() : mcpServers));
        openSession = sessionId;
        return loaded;
    }

    /** Reattaches to a session without replay; only for agents advertising sessionCapabilities.resume. */
    public ResumeSessionResponse resumeSession(String sessionId, String cwd, List<McpServer> mcpServers)
            throws JsonRpcException, IOException, InterruptedException {
        ResumeSessionResponse resumed = call(AcpMethods.SESSION_RESUME,
                new ResumeSessionRequest(sessionId, cwd, mcpServers == null ? List.of() : mcpServers));
        openSession = sessionId;
        return resumed;
    }

    /** {@code session/list}; only for agents advertising {@code sessionCapabilities.list}. */
    public com.fasterxml.jackson.databind.JsonNode listSessions(String cwd, String cursor)
            throws JsonRpcException, IOException, InterruptedException {
        return call(AcpMethods.SESSION_LIST, new ListSessionsRequest(cwd, cursor));
    }

    /** ACP 2026 {@code session/close}; only for agents advertising {@code sessionCapabilities.close}. */
    public void closeSession(String sessionId) throws JsonRpcException, IOException, InterruptedException {
        call(AcpMethods.SESSION_CLOSE, new dev.acpx.core.protocol.CloseSessionRequest(sessionId));
        if (sessionId.equals(openSession)) {
            openSession = null;
        }
    }

    /** The ACP session id last opened on this connection and not closed, or null. */
    public String openSession() {
        return openSession;
    }

    public void setMode(String sessionId, String modeId) throws JsonRpcException, IOException, InterruptedException {
        call(AcpMethods.SESSION_SET_MODE, new SetSessionModeRequest(sessionId, modeId));
    }

    public SetSessionConfigOptionResponse setConfigOption(SetSessionConfigOptionRequest request)
            throws JsonRpcException, IOException, InterruptedException {
        return call(AcpMethods.SESSION_SET_CONFIG_OPTION, request);
    }

    /** Sets a select option to a value id. */
    public SetSessionConfigOptionResponse setConfigOption(String sessionId, String configId, String value)
            throws JsonRpcException, IOException, InterruptedException {
        return setConfigOption(SetSessionConfigOptionRequest.select(sessionId, configId, value));
    }

    /** The legacy model switch, for agents that advertise no config options. */
    public void setModel(String sessionId, String modelId) throws JsonRpcException, IOException, InterruptedException {
        call(AcpMethods.SESSION_SET_MODEL, new SetSessionModelRequest(sessionId, modelId));
    }

    /** Starts a turn and returns at once; wait on the result, cancel with {@link #cancel(String)}. */
    public PendingPrompt prompt(String sessionId, List<ContentBlock> blocks) {
        AcpMethod<PromptRequest, PromptResponse> method = AcpMethods.SESSION_PROMPT;
        Outgoing outgoing = peer.send(method.name(), mapper.valueToTree(new PromptRequest(sessionId, blocks)));
        CompletableFuture<PromptResponse> typed = new CompletableFuture<>();
        outgoing.result().whenComplete((result, error) -> {
            if (error != null) {
                typed.completeExceptionally(error);
                return;
            }
            try {
                typed.complete(convert(method, result));
            } catch (AcpProtocolException e) {
                typed.completeExceptionally(e);
            }
        });
        return new PendingPrompt(outgoing.id(), typed);
    }

    /** Asks the agent to stop the session's running turn ({@code session/cancel}). */
    public void cancel(String sessionId) throws PeerClosedException {
        peer.notify(AcpMethods.SESSION_CANCEL.name(), mapper.valueToTree(new CancelNotification(sessionId)));
    }

    /** Asks the agent to abandon one JSON-RPC request ({@code $/cancel_request}). */
    public void cancelRequest(long requestId) throws PeerClosedException {
        peer.cancelRequest(requestId);
    }

    /** Completes when the agent's output ends. */
    public CompletableFuture<Void> closed() {
        return peer.closed();
    }

    @Override
    public void close() {
        peer.close();
    }

    // ---------------------------------------------------------------- plumbing

    private <P, R> R call(AcpMethod<P, R> method, P params) throws JsonRpcException, IOException, InterruptedException {
        Outgoing outgoing = peer.send(method.name(), mapper.valueToTree(params));
        JsonNode result = Futures.await(outgoing.result(), () -> {
            try {
                peer.cancelRequest(outgoing.id());
            } catch (PeerClosedException ignored) {
                // the agent is gone; there is nothing left to cancel
            }
        });
        return convert(method, result);
    }

    private <R> R convert(AcpMethod<?, R> method, JsonNode result) throws AcpProtocolException {
        // Empty results are {} in the schema, but some agents answer null: treat both alike.
        JsonNode body = result == null || result.isNull() ? JsonNodeFactory.instance.objectNode() : result;
        try {
            return mapper.treeToValue(body, method.result());
        } catch (IOException | IllegalArgumentException e) {
            throw new AcpProtocolException("the agent sent an invalid result for " + method.name() + ": "
                    + e.getMessage() + "; check that the agent speaks ACP version " + AcpMethods.PROTOCOL_VERSION, e);
        }
    }

    @FunctionalInterface
    private interface Serving<P, R> {
        R apply(P params) throws JsonRpcException, InterruptedException;
    }

    private <P, R> void serve(AcpMethod<P, R> method, Serving<P, R> serving) {
        peer.onRequest(method.name(), params -> {
            P typed;
            try {
                typed = mapper.treeToValue(params == null ? JsonNodeFactory.instance.objectNode() : params, method.params());
            } catch (IOException | IllegalArgumentException e) {
                throw new JsonRpcException(JsonRpcException.INVALID_PARAMS,
                        "Invalid params for " + method.name() + ": " + e.getMessage());
            }
            return mapper.valueToTree(serving.apply(typed));
        });
    }
}
