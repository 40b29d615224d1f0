package dev.acpx.core.engine.agent;

import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.queue.Deadline;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ClientAccess;
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
import dev.acpx.core.jsonrpc.RawLines;
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
import java.util.concurrent.TimeUnit;
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
    /** Tool-call state lives for one turn: cleared at its end so a long-lived session does not grow. */
    private final UpdateTranslator translator;
    private final ManagedProcess process;
    private final AcpClientConnection connection;
    private final Instant startedAt;
    private volatile TurnState turn;
    private volatile TurnListener observer;
    private volatile InitializeResponse initialized;
    private volatile String disconnectReason;
    private volatile boolean closing;
    /** Counted down once the first close() has sent session/close, or decided not to. */
    private final java.util.concurrent.CountDownLatch goodbyeSaid = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean closeSent = new java.util.concurrent.atomic.AtomicBoolean();

    private final ClientAccess access;

    private AgentSession(EngineContext ctx, AgentRef agent, Path cwd, Map<String, String> agentEnv,
                         TurnListener observer, ClientAccess access, JournalHook journal) throws IOException {
        this.access = access;
        this.ctx = ctx;
        this.agent = agent;
        this.cwd = cwd;
        this.observer = observer;
        // The caller's environment, also when the daemon runs the command (its own is the first caller's).
        ProcessSpec spec = ProcessSpec.of(agent.argv(), cwd).withEnvironment(agentEnv).inEnvironmentOf(ctx.environment())
                .withStderr(StderrMode.forwardLines(line -> emit(new TurnEvent.AgentStderr(line))));
        this.process = ctx.supervisor().start(spec);
        ctx.warmUpProtocol();
        this.startedAt = ctx.clock().instant();
        this.translator = new UpdateTranslator(ctx.mapper());
        FileSystemAccess files = new FileSystemAccess(cwd);
        ClientSide client = new ClientSide(files, new PermissionGate(files, ctx.mapper(), ctx.clock()), access,
                translator, () -> turn);
        JsonRpcPeer peer = new JsonRpcPeer(process.stdout(), process.stdin(), ctx.mapper(), new PeerListener() {
            @Override
            public void onMessage(Direction direction, String rawLine) {
                try {
                    journal.message(direction, rawLine);
                } catch (RuntimeException ignored) {
                    // the journal's failure is its own; the connection goes on
                }
                TurnListener target = target();
                if (target != null && target.wants(TurnEvent.Wire.class) && rawLine.length() <= target.maxWireChars()
                        && (target.wantsUpdateWire() || !RawLines.isUpdateNotification(rawLine))) {
                    emit(new TurnEvent.Wire(direction == Direction.OUT ? TurnEvent.Direction.TO_AGENT
                            : TurnEvent.Direction.FROM_AGENT, rawLine));
                }
            }

            @Override
            public void onMessageBytes(Direction direction, dev.acpx.core.jsonrpc.ByteLine line) {
                try {
                    journal.messageBytes(direction, line);
                } catch (RuntimeException ignored) {
                    // the journal's failure is its own; the connection goes on
                }
            }

            @Override
            public void onProblem(String description) {
                emit(new TurnEvent.AgentStderr("[acpx] malformed agent output: " + description));
            }

            @Override
            public boolean wantsRawLines() {
                return wantsRawLine(0);
            }

            @Override
            public boolean wantsRawLine(long bytes) {
                // Only a listener that shows raw messages makes a line a string (json output; text output
                // for the lines its [client] notes need): otherwise a big line need not be one. The
                // journal takes the others as bytes (onMessageBytes).
                TurnListener target = target();
                return target != null && target.wants(TurnEvent.Wire.class) && bytes <= target.maxWireChars();
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
     * Starts the agent process only; setup messages go to {@code observer}; {@code access} is what the
     * client offers. A host publishes the session before {@link #handshake}, so that its close can end
     * an agent that never answers {@code initialize} without waiting.
     */
    public static AgentSession spawn(EngineContext ctx, AgentRef agent, Path cwd, AuthSetup auth,
                                     TurnListener observer, ClientAccess access) {
        return spawn(ctx, agent, cwd, auth, observer, access, JournalHook.NONE);
    }

    /** As above; every JSON-RPC line of the connection, both ways, also goes to {@code journal}. */
    public static AgentSession spawn(EngineContext ctx, AgentRef agent, Path cwd, AuthSetup auth,
                                     TurnListener observer, ClientAccess access, JournalHook journal) {
        try {
            return new AgentSession(ctx, agent, cwd, auth.agentEnvironment(), observer, access, journal);
        } catch (IOException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "cannot start the agent '" + agent.command() + "': "
                    + e.getMessage());
        }
    }

    /**
     * {@code initialize} and {@code authenticate}, together within {@code timeout} (null: no limit);
     * on any failure the agent's tree is ended before this throws.
     */
    public void handshake(AuthSetup auth, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        try {
            initialized = call("initialize", deadline.remaining(), () -> connection.initialize(Capabilities.client(access),
                    Capabilities.clientInfo(ctx.clientVersion())));
            auth.authenticate(initialized.authMethods(), methodId -> call("authenticate", deadline.remaining(), () -> {
                connection.authenticate(methodId);
                return null;
            }));
        } catch (RuntimeException e) {
            close("initialize_failed");
            throw e;
        }
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

    /**
     * Hides a replayed history (the {@code session/update} notifications of a {@code session/load})
     * from whoever watches, returning who was watching. The load's own request and answer still show,
     * as the Node acpx shows them ({@code [client] session/load}).
     */
    TurnListener silence() {
        TurnListener previous = observer;
        observer = previous == null ? null : new ReplayFilter(previous, ctx.mapper().getFactory());
        return previous;
    }

    private void emit(TurnEvent event) {
        TurnListener target = target();
        if (target != null) {
            target.onEvent(event);
        }
    }

    /** Who gets events now: the running turn's listener, else the observer, else nobody. */
    private TurnListener target() {
        TurnState current = turn;
        return current != null ? current.listener : observer;
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
            // The cause tells a refusal (the agent answered with an error) from an agent that is gone.
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
                new TerminalManager(cwd, ctx.supervisor(), EngineContext.DEFAULT_TERMINAL_OUTPUT_BYTES)
                        .inEnvironmentOf(ctx.environment()));
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
                // The agent's error is kept: json output shows it, and --prompt-retries judges it by its code.
                throw new AcpxException(ErrorKind.RUNTIME, "the agent failed the prompt: " + e.getMessage()
                        + " (code " + e.code() + ")", null, e, new dev.acpx.api.AgentError(e.code(), e.getMessage(),
                        e.data() == null ? null : e.data().toString()));
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
            translator.endTurn();
        }
    }

    private void cancelTurn(String sessionId, PendingPrompt pending) {
        try {
            connection.cancel(sessionId);
            connection.cancelRequest(pending.requestId());
            pending.await(CANCEL_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // keep it for the caller, who reports the interrupt
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

    /** True when {@code e} is the agent's own refusal of a call (an error answer), not a timeout or its exit. */
    public static boolean refused(AcpxException e) {
        return e.getCause() instanceof JsonRpcException;
    }

    /**
     * Ends the session: closes the agent's stdin so it can exit on its own, then ends whatever of
     * its tree is left. Idempotent, bounded (about two seconds for an agent that ignores SIGTERM or
     * is stopped), and never waits on the connection: an agent that stopped reading with a write
     * pending is killed all the same. {@code reason} is recorded as the disconnect reason unless the
     * agent had already gone by itself.
     */
    public void close(String reason) {
        if (!closeSent.getAndSet(true)) {
            try {
                SessionCloser.closeQuietly(connection, initialized, process.isAlive() && !closing, reason);
            } finally {
                goodbyeSaid.countDown();
            }
        } else {
            // Another thread is saying session/close (exec's end closes from two threads): closing the
            // connection under it would cut the request off ("closed locally"), so wait for it, bounded.
            try {
                goodbyeSaid.await(SessionCloser.LIMIT.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        } catch (TimeoutException e) {
            // it did not leave on its own: the tree is ended below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the tree is still ended below; the caller sees the flag
        }
        process.terminateTree(KILL_GRACE);
    }

    @Override
    public void close() {
        close("closed");
    }
}
