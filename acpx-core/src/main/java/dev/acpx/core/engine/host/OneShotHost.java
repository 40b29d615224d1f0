package dev.acpx.core.engine.host;

import dev.acpx.core.engine.HostStatus;
import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.engine.SessionHost;
import dev.acpx.core.engine.agent.AgentSession;
import dev.acpx.core.engine.agent.AuthSetup;
import dev.acpx.core.engine.agent.EngineContext;
import dev.acpx.core.engine.agent.ModelSelection;
import dev.acpx.core.engine.agent.ConfigOptions;
import dev.acpx.api.ConfigOptionAssignment;
import dev.acpx.core.options.McpServers;
import dev.acpx.core.options.SessionMeta;
import dev.acpx.core.protocol.SessionConfigOption;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.protocol.NewSessionResponse;
import dev.acpx.core.queue.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The host of an engine in one-shot mode ({@code exec}): its one turn starts a fresh agent, opens a
 * new session, sends the prompt; close ends the agent's whole tree. Nothing is recorded: exec leaves
 * no session record.
 */
final class OneShotHost implements SessionHost {
    private final EngineContext ctx;
    private final ExecRequest request;
    private final AcpxConfig config;
    private final Set<AgentSession> live;
    private final JournalHook journal;
    private final Object lock = new Object();
    private AgentSession session;
    private volatile String sessionId;
    private boolean closed;

    /** @param live the runtime's running agents, so that its interrupt or close can end this one */
    OneShotHost(EngineContext ctx, ExecRequest request, AcpxConfig config, Set<AgentSession> live, JournalHook journal) {
        this.ctx = ctx;
        this.request = request;
        this.config = config;
        this.live = live;
        this.journal = journal;
    }

    @Override
    public TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events) {
        return runTurn(prompt, policy, timeout, events, 0);
    }

    /** The retries re-send the prompt to the same agent and session; the agent is started once. */
    @Override
    public TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events,
                              int promptRetries) {
        // The start has its own limit (an agent that never answers initialize must not hang exec);
        // the turn's, when shorter, bounds it too.
        Deadline handshake = Deadline.earliest(config.handshakeTimeout(), timeout);
        AuthSetup auth = new AuthSetup(config, ctx.environment(), request.failWhenAuthMissing());
        AgentSession s = AgentSession.spawn(ctx, request.agent(), request.cwd(), auth, events, request.access(), journal);
        synchronized (lock) {
            // Published before the handshake, so that an interrupt or close ends an agent that never answers.
            session = s;
            live.add(s);
            if (closed) {
                close("oneshot_complete");
                throw new AcpxException(ErrorKind.INTERRUPTED, "the one-shot run was ended before its agent started");
            }
        }
        s.handshake(auth, handshake.remaining());
        // SPEC-P2 §7 and §8: the MCP servers and the session options go with session/new.
        var mcp = McpServers.toProtocol(config.mcpServers());
        var meta = SessionMeta.forAgent(request.agentOptions(), request.agent().argv(), ctx.environment());
        NewSessionResponse created = s.call("session/new", handshake.remaining(),
                () -> s.connection().newSession(request.cwd().toString(), mcp, meta));
        sessionId = created.sessionId();
        // Then, before the prompt, the model and each --config-option in command-line order.
        var offered = created.configOptions() == null ? List.<SessionConfigOption>of() : created.configOptions();
        if (request.model() != null) {
            ModelSelection.apply(s, created.sessionId(), offered, request.model(), handshake.remaining());
        }
        for (ConfigOptionAssignment option : request.configOptions()) {
            try {
                ConfigOptions.apply(s, created.sessionId(), offered, option.key(), option.value(),
                        handshake.remaining());
            } catch (AcpxException e) {
                if (e.agentError() == null || option.key().equals("model")) {
                    throw e;
                }
                // exec reports the agent's own words, as the Node acpx does ([error] RUNTIME: ...)
                throw new AcpxException(ErrorKind.RUNTIME, e.agentError().message(), null, e, e.agentError());
            }
        }
        return PromptRetries.run(promptRetries, events, l ->
                s.prompt(created.sessionId(), prompt, l, policy, timeout));
    }

    @Override
    public boolean cancelCurrent() {
        AgentSession s;
        synchronized (lock) {
            s = session;
        }
        String id = sessionId;
        return s != null && id != null && s.cancel(id);
    }

    @Override
    public void setMode(String modeId) {
        throw AcpxException.usage("a one-shot run has no mode to set");
    }

    @Override
    public String setConfigOption(String key, String value) {
        throw AcpxException.usage("a one-shot run has no options to set");
    }

    @Override
    public HostStatus status() {
        AgentSession s;
        synchronized (lock) {
            s = session;
        }
        Long pid = s != null && s.isAlive() ? s.process().pid() : null;
        return new HostStatus(pid, request.agent().command(), request.cwd().toString(), sessionId, null, null);
    }

    /** Ends the agent's whole tree (a starting one too); idempotent. */
    @Override
    public void close(String reason) {
        AgentSession s;
        synchronized (lock) {
            closed = true;
            s = session;
        }
        if (s != null) {
            s.close(reason);
            live.remove(s);
        }
    }
}
