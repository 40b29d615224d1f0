package dev.acpx.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.jsonrpc.JsonRpcPeer;
import dev.acpx.core.jsonrpc.PeerListener;
import dev.acpx.core.protocol.AcpMethod;
import dev.acpx.core.protocol.AcpMethods;
import dev.acpx.core.protocol.AgentCapabilities;
import dev.acpx.core.protocol.AuthenticateResponse;
import dev.acpx.core.protocol.CancelNotification;
import dev.acpx.core.protocol.ClientCapabilities;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.Implementation;
import dev.acpx.core.protocol.InitializeResponse;
import dev.acpx.core.protocol.LoadSessionResponse;
import dev.acpx.core.protocol.McpCapabilities;
import dev.acpx.core.protocol.NewSessionResponse;
import dev.acpx.core.protocol.PromptCapabilities;
import dev.acpx.core.protocol.PromptResponse;
import dev.acpx.core.protocol.SessionCapabilities;
import dev.acpx.core.protocol.SessionNotification;
import dev.acpx.core.protocol.SessionUpdate;
import dev.acpx.core.protocol.SetSessionConfigOptionResponse;
import dev.acpx.core.protocol.SetSessionModeResponse;
import dev.acpx.core.protocol.SetSessionModelResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The offline {@code demo} agent: a deterministic ACP agent over stdin/stdout that exercises every
 * client capability (text, thoughts, plan, fs read, permission + fs write, terminal) in one turn.
 * Session state lives in {@code $ACPX_DEMO_STATE} (default: a per-user directory under the temp dir).
 */
public final class DemoAgent {

    static final String NAME = "acpx-demo";
    static final String VERSION = "0.1.0";

    private final ObjectMapper mapper;
    private final DemoSessions sessions;
    private volatile ClientCapabilities client = new ClientCapabilities(null, false);
    private final Map<String, DemoTurn> activeTurns = new ConcurrentHashMap<>();
    private JsonRpcPeer peer;

    public DemoAgent(ObjectMapper mapper, Path stateDir) {
        this.mapper = mapper;
        this.sessions = new DemoSessions(mapper, stateDir);
    }

    public static void main(String[] args) {
        String state = System.getenv("ACPX_DEMO_STATE");
        Path dir = state != null && !state.isBlank() ? Path.of(state)
                : Path.of(System.getProperty("java.io.tmpdir"), "acpx-demo-agent-" + System.getProperty("user.name"));
        // stdout carries the protocol and nothing else; diagnostics go to stderr.
        JsonRpcPeer peer = new DemoAgent(new ObjectMapper(), dir).serve(System.in, System.out, new PeerListener() {
            @Override
            public void onProblem(String description) {
                System.err.println("acpx-demo: " + description);
            }
        });
        peer.closed().join();
        try {
            // Writes are queued to a writer thread: let the last answers out before the JVM goes.
            peer.flush(java.time.Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }

    /** Serves ACP on the given streams; returns the started peer. */
    public JsonRpcPeer serve(InputStream in, OutputStream out, PeerListener listener) {
        peer = new JsonRpcPeer(in, out, mapper, listener, 64 << 20);
        handle(AcpMethods.INITIALIZE, r -> {
            client = r.clientCapabilities() == null ? new ClientCapabilities(null, false) : r.clientCapabilities();
            return new InitializeResponse(AcpMethods.PROTOCOL_VERSION,
                    new AgentCapabilities(true, new PromptCapabilities(false, false, true), new McpCapabilities(false, false),
                            new SessionCapabilities(null, null, null, null)),
                    List.of(), new Implementation(NAME, "acpx demo agent", VERSION));
        });
        handle(AcpMethods.AUTHENTICATE, r -> new AuthenticateResponse(null));
        handle(AcpMethods.SESSION_NEW, r -> {
            requireAbsolute(r.cwd());
            DemoSessions.State s = sessions.create(UUID.randomUUID().toString(), r.cwd());
            return new NewSessionResponse(s.sessionId(), DemoSessions.modes(s), DemoSessions.configOptions(s));
        });
        handle(AcpMethods.SESSION_LOAD, r -> {
            requireAbsolute(r.cwd());
            DemoSessions.State stored = sessions.get(r.sessionId());
            DemoSessions.State s = new DemoSessions.State(stored.sessionId(), r.cwd(), stored.modeId(), stored.model(),
                    stored.history());
            sessions.save(s);
            for (DemoSessions.Turn turn : s.history()) {
                ContentBlock text = ContentBlock.text(turn.text());
                update(s.sessionId(), "user".equals(turn.role()) ? new SessionUpdate.UserMessageChunk(text, null)
                        : new SessionUpdate.AgentMessageChunk(text, null));
            }
            return new LoadSessionResponse(DemoSessions.modes(s), DemoSessions.configOptions(s));
        });
        handle(AcpMethods.SESSION_SET_MODE, r -> {
            DemoSessions.State s = sessions.get(r.sessionId());
            if (DemoSessions.MODES.stream().noneMatch(m -> m.id().equals(r.modeId()))) {
                throw new JsonRpcException(JsonRpcException.INVALID_PARAMS, "unknown mode \"" + r.modeId()
                        + "\"; available: default, plan");
            }
            sessions.save(new DemoSessions.State(s.sessionId(), s.cwd(), r.modeId(), s.model(), s.history()));
            update(s.sessionId(), new SessionUpdate.CurrentModeUpdate(r.modeId()));
            return new SetSessionModeResponse(null);
        });
        handle(AcpMethods.SESSION_SET_CONFIG_OPTION, r -> {
            DemoSessions.State s = selectModel(r.sessionId(), r.configId(), r.value());
            update(s.sessionId(), new SessionUpdate.ConfigOptionUpdate(DemoSessions.configOptions(s)));
            return new SetSessionConfigOptionResponse(DemoSessions.configOptions(s));
        });
        handle(AcpMethods.SESSION_SET_MODEL, r -> {
            selectModel(r.sessionId(), "model", mapper.valueToTree(r.modelId()));
            return new SetSessionModelResponse(null);
        });
        handle(AcpMethods.SESSION_PROMPT, r -> {
            DemoSessions.State s = sessions.get(r.sessionId());
            DemoTurn turn = new DemoTurn(peer, mapper, client, s, r.prompt());
            DemoTurn previous = activeTurns.put(s.sessionId(), turn);
            if (previous != null) {
                previous.cancel(); // a well-behaved client never overlaps turns; the newer one wins
            }
            try {
                String stopReason = turn.run();
                // Re-read: set_mode or set_config_option may have replaced the state during the turn.
                DemoSessions.State now = sessions.get(s.sessionId());
                now.history().add(new DemoSessions.Turn("user", turn.promptText()));
                now.history().add(new DemoSessions.Turn("agent", turn.agentText()));
                sessions.save(now);
                return new PromptResponse(stopReason);
            } finally {
                activeTurns.remove(s.sessionId(), turn);
            }
        });
        peer.onNotification(AcpMethods.SESSION_CANCEL.name(), params -> {
            CancelNotification n = mapper.treeToValue(params, CancelNotification.class);
            DemoTurn turn = activeTurns.get(n.sessionId());
            if (turn != null) {
                turn.cancel();
            }
        });
        peer.start();
        return peer;
    }

    private DemoSessions.State selectModel(String sessionId, String configId, JsonNode value) throws JsonRpcException {
        DemoSessions.State s = sessions.get(sessionId);
        if (!"model".equals(configId)) {
            throw new JsonRpcException(JsonRpcException.INVALID_PARAMS, "unknown config option \"" + configId
                    + "\"; available: model");
        }
        String model = value == null ? null : value.asText(null);
        if (DemoSessions.MODELS.stream().noneMatch(m -> m.value().equals(model))) {
            throw new JsonRpcException(JsonRpcException.INVALID_PARAMS, "unknown model \"" + model
                    + "\"; available: demo-fast, demo-smart");
        }
        DemoSessions.State changed = new DemoSessions.State(s.sessionId(), s.cwd(), s.modeId(), model, s.history());
        sessions.save(changed);
        return changed;
    }

    private void update(String sessionId, SessionUpdate update) throws IOException {
        peer.notify(AcpMethods.SESSION_UPDATE.name(), mapper.valueToTree(new SessionNotification(sessionId, update)));
    }

    private static void requireAbsolute(String cwd) throws JsonRpcException {
        if (cwd == null || !Path.of(cwd).isAbsolute()) {
            throw new JsonRpcException(JsonRpcException.INVALID_PARAMS, "cwd must be an absolute path, got " + cwd);
        }
    }

    @FunctionalInterface
    private interface Handler<P, R> {
        R apply(P params) throws JsonRpcException, InterruptedException, IOException;
    }

    private <P, R> void handle(AcpMethod<P, R> method, Handler<P, R> handler) {
        peer.onRequest(method.name(), params -> {
            P typed;
            try {
                typed = mapper.treeToValue(params, method.params());
            } catch (IOException | IllegalArgumentException e) {
                throw new JsonRpcException(JsonRpcException.INVALID_PARAMS,
                        "Invalid params for " + method.name() + ": " + e.getMessage());
            }
            if (typed == null) {
                throw new JsonRpcException(JsonRpcException.INVALID_PARAMS, "Missing params for " + method.name());
            }
            return mapper.valueToTree(handler.apply(typed));
        });
    }
}
