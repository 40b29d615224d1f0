package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.acp.AcpClientConnection;
import dev.acpx.core.acp.PendingPrompt;
import dev.acpx.core.capability.FileSystemAccess;
import dev.acpx.core.capability.TerminalManager;
import dev.acpx.core.jsonrpc.Direction;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.jsonrpc.JsonRpcPeer;
import dev.acpx.core.jsonrpc.PeerClosedException;
import dev.acpx.core.jsonrpc.PeerListener;
import dev.acpx.core.process.ExitStatus;
import dev.acpx.core.process.ManagedProcess;
import dev.acpx.core.process.ProcessSpec;
import dev.acpx.core.process.StderrMode;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.InitializeResponse;
import dev.acpx.core.protocol.PromptResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * One agent process and its ACP connection: spawn, initialize, authenticate, then turns one at
 * a time, and an end that takes the whole process tree and records how the agent went.
 */
public final class AgentSession implements AutoCloseable {
    private static final Duration EXIT_GRACE = Duration.ofMillis(500);
    private static final Duration KILL_GRACE = Duration.ofMillis(1500);
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(1);

    private final EngineContext ctx;
    private final AgentRef agent;
    private final Path cwd;
    private final ManagedProcess process;
    private final AcpClientConnection connection;
    private final Instant startedAt;
    private volatile TurnState turn;
    private volatile TurnListener observer;
    private volatile InitializeResponse initialized;
    private volatile String disconnectReason;
    private volatile boolean closing;

    private AgentSession(EngineContext ctx, AgentRef agent, Path cwd, Map<String, String> agentEnv,
                         TurnListener observer) throws IOException {
        this.ctx = ctx;
        this.agent = agent;
        this.cwd = cwd;
        this.observer = observer;
        ProcessSpec spec = ProcessSpec.of(agent.argv(), cwd).withEnvironment(agentEnv)
                .withStderr(StderrMode.forwardLines(line -> emit(new TurnEvent.AgentStderr(line))));
        this.process = ctx.supervisor().start(spec);
        ctx.warmUpProtocol();
        this.startedAt = ctx.clock().instant();
        UpdateTranslator translator = new UpdateTranslator(ctx.mapper());
        ClientSide client = new ClientSide(new FileSystemAccess(cwd), translator, () -> turn);
        JsonRpcPeer peer = new JsonRpcPeer(process.stdout(), process.stdin(), ctx.mapper(), new PeerListener() {
            @Override
            public void onMessage(Direction direction, String rawLine) {
                emit(new TurnEvent.Wire(direction == Direction.OUT ? TurnEvent.Direction.TO_AGENT
                        : TurnEvent.Direction.FROM_AGENT, rawLine));
            }

            @Override
            public void onProblem(String description) {
                emit(new TurnEvent.AgentStderr("[acpx] malformed agent output: " + description));
            }
        }, EngineContext.MAX_LINE_BYTES);
        this.connection = new AcpClientConnection(peer, ctx.mapper(), client);
        process.onExit().thenRun(() -> {
            if (!closing && disconnectReason == null) {
                disconnectReason = "process_exit";
            }
        });
    }

    /**
     * Starts the agent and runs {@code initialize} (and {@code authenticate} when a credential
     * exists). Setup messages go to {@code observer}.
     */
    public static AgentSession start(EngineContext ctx, AgentRef agent, Path cwd, AuthSetup auth,
                                     TurnListener observer, Duration timeout) {
        AgentSession session;
        try {
            session = new AgentSession(ctx, agent, cwd, auth.agentEnvironment(), observer);
        } catch (IOException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "cannot start the agent '" + agent.command() + "': "
                    + e.getMessage());
        }
        try {
            session.initialize(auth, timeout);
            return session;
        } catch (RuntimeException e) {
            session.close("initialize_failed");
            throw e;
        }
    }

    private void initialize(AuthSetup auth, Duration timeout) {
        initialized = call("initialize", timeout, () -> connection.initialize(Capabilities.client(),
                Capabilities.clientInfo(ctx.clientVersion())));
        auth.authenticate(initialized.authMethods(), methodId -> call("authenticate", timeout, () -> {
            connection.authenticate(methodId);
            return null;
        }));
    }

    public InitializeResponse initialized() {
        return initialized;
    }

    public AcpClientConnection connection() {
        return connection;
    }

    public ManagedProcess process() {
        return process;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public void observe(TurnListener listener) {
        this.observer = listener;
    }

    /** Stops showing messages outside turns (a replayed history), returning who was watching. */
    TurnListener silence() {
        TurnListener previous = observer;
        observer = null;
        return previous;
    }

    private void emit(TurnEvent event) {
        TurnState current = turn;
        TurnListener target = current != null ? current.listener : observer;
        if (target != null) {
            target.onEvent(event);
        }
    }

    /** A blocking ACP call with the session's error translation. */
    public <T> T call(String what, Duration timeout, AcpCall<T> call) {
        try {
            if (timeout == null) {
                return call.run();
            }
            return Timed.run(call, timeout);
        } catch (TimeoutException e) {
            throw new AcpxException(ErrorKind.TIMEOUT, "timed out after " + Timed.seconds(timeout)
                    + " waiting for the agent to answer " + what);
        } catch (JsonRpcException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "the agent refused " + what + ": " + e.getMessage()
                    + " (code " + e.code() + ")", null, e,
                    new dev.acpx.api.AgentError(e.code(), e.getMessage(), e.data() == null ? null : e.data().toString()));
        } catch (PeerClosedException e) {
            throw exited("during " + what);
        } catch (IOException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "the agent sent an invalid answer to " + what + ": "
                    + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted during " + what);
        }
    }

    /** A blocking ACP call. */
    @FunctionalInterface
    public interface AcpCall<T> {
        T run() throws JsonRpcException, IOException, InterruptedException;
    }

    /** The failure to report when the agent is gone: its exit code or signal and its stderr tail. */
    public AcpxException exited(String when) {
        return exited(when, null);
    }

    /** As {@link #exited(String)}; a live agent whose connection our side ended names our reason. */
    private AcpxException exited(String when, PeerClosedException cause) {
        ExitStatus status;
        try {
            status = process.awaitExit(Duration.ofSeconds(2));
        } catch (TimeoutException | InterruptedException e) {
            status = null;
        }
        String how = status != null ? "exited (" + status.describe() + ")"
                : cause != null && !cause.getMessage().endsWith(JsonRpcPeer.END_OF_INPUT)
                ? "connection was ended by acpx (" + cause.getMessage() + ")" : "closed its output";
        String tail = process.stderrTail();
        String lastLine = tail == null ? "" : tail.strip().lines().reduce((a, b) -> b).orElse("");
        return new AcpxException(ErrorKind.RUNTIME, "the agent " + how + " " + when
                + (lastLine.isEmpty() ? "" : "; its last stderr line: " + lastLine)
                + "; rerun with --verbose to see all of its stderr", tail, null);
    }

    /**
     * One turn: sends the prompt, delivers every update to {@code listener}, and returns when the
     * agent answers. On timeout the turn is cancelled (session/cancel and $/cancel_request) and a
     * TIMEOUT error thrown; terminals the turn opened are ended either way.
     */
    public TurnResult prompt(String sessionId, String text, TurnListener listener, PermissionPolicy policy,
                             Duration timeout) {
        TurnState state = new TurnState(listener, policy,
                new TerminalManager(cwd, ctx.supervisor(), EngineContext.DEFAULT_TERMINAL_OUTPUT_BYTES));
        turn = state;
        try {
            PendingPrompt pending = connection.prompt(sessionId, List.of(new ContentBlock.Text(text, null)));
            PromptResponse response;
            try {
                response = timeout == null ? pending.await() : pending.await(timeout);
            } catch (TimeoutException e) {
                cancelTurn(sessionId, pending);
                throw new AcpxException(ErrorKind.TIMEOUT, "timed out after " + Timed.seconds(timeout)
                        + " waiting for the agent to finish the turn");
            } catch (PeerClosedException e) {
                throw exited("during the turn", e);
            } catch (JsonRpcException e) {
                AcpxException failure = state.failure.get();
                if (failure != null) {
                    throw failure;
                }
                throw new AcpxException(ErrorKind.RUNTIME, "the agent failed the prompt: " + e.getMessage()
                        + " (code " + e.code() + ")");
            } catch (IOException e) {
                throw new AcpxException(ErrorKind.RUNTIME, "the agent sent an invalid prompt answer: "
                        + e.getMessage(), null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelTurn(sessionId, pending);
                throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted during the turn");
            }
            AcpxException failure = state.failure.get();
            if (failure != null) {
                throw failure;
            }
            StopReason stop = new StopReason(response.stopReason() == null ? "end_turn" : response.stopReason());
            // Done is the turn's last event: detach the listener first, so that a message sent
            // meanwhile (a late cancel from another thread) never reaches it after Done.
            turn = null;
            if (observer == listener) {
                observer = null;
            }
            listener.onEvent(new TurnEvent.Done(stop));
            return new TurnResult(stop, state.granted.get(), state.denied.get(), sessionId, null);
        } finally {
            turn = null;
            state.terminals.close();
        }
    }

    private void cancelTurn(String sessionId, PendingPrompt pending) {
        try {
            connection.cancel(sessionId);
            connection.cancelRequest(pending.requestId());
            pending.await(CANCEL_GRACE);
        } catch (Exception ignored) {
            // the agent may ignore the cancel or be gone; the caller reports the timeout either way
        }
    }

    /** Sends session/cancel for the running turn; false when no turn runs. */
    public boolean cancel(String sessionId) {
        if (turn == null) {
            return false;
        }
        try {
            connection.cancel(sessionId);
            return true;
        } catch (PeerClosedException e) {
            return false;
        }
    }

    public boolean isAlive() {
        return process.isAlive() && !closing;
    }

    public String disconnectReason() {
        return disconnectReason;
    }

    /** The agent's exit status, once it has exited. */
    public ExitStatus exitStatus() {
        return process.exitStatus().orElse(null);
    }

    /**
     * Ends the session: closes the agent's stdin so it can exit on its own, then ends whatever of
     * its tree is left. Idempotent. {@code reason} is recorded as the disconnect reason unless the
     * agent had already gone by itself.
     */
    public void close(String reason) {
        if (disconnectReason == null) {
            disconnectReason = reason;
        }
        closing = true;
        TurnState running = turn;
        if (running != null) {
            running.terminals.close();
        }
        connection.close();
        try {
            process.awaitExit(EXIT_GRACE);
        } catch (TimeoutException | InterruptedException e) {
            // it did not leave on its own: the tree is ended below
        }
        process.terminateTree(KILL_GRACE);
    }

    @Override
    public void close() {
        close("closed");
    }
}
