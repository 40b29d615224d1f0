package dev.acpx.core.engine;

import dev.acpx.core.queue.Deadline;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.lifecycle.HolderInfo;
import dev.acpx.core.lifecycle.Slot;
import dev.acpx.core.lifecycle.SlotPool;
import dev.acpx.api.ConfigOptionAssignment;
import dev.acpx.core.options.McpServers;
import dev.acpx.core.options.SessionMeta;
import dev.acpx.core.protocol.NewSessionResponse;
import dev.acpx.core.protocol.SessionConfigOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code exec}: a fresh agent and session for one turn. Whatever happens (success, error,
 * timeout, interrupt, crash) the agent's whole tree is ended and its slot freed before returning.
 */
public final class OneShotRunner {
    private final EngineContext ctx;
    private final Set<AgentSession> live;

    public OneShotRunner(EngineContext ctx, Set<AgentSession> live) {
        this.ctx = ctx;
        this.live = live;
    }

    public TurnResult run(ExecRequest request, AcpxConfig config, SlotPool slots, TurnListener listener) {
        if (config.disableExec()) {
            throw new AcpxException(ErrorKind.EXEC_DISABLED,
                    "exec subcommand is disabled by configuration (disableExec: true)");
        }
        String id = UUID.randomUUID().toString();
        Optional<Slot> slot = Optional.empty();
        if (slots != null) {
            slot = Optional.of(SlotHolding.acquireNow(slots, HolderInfo.ofCurrentProcess(id,
                    "exec " + request.agent().command() + " in " + request.cwd(), ctx.clock().instant())));
        }
        AgentSession session = null;
        try {
            // The start has its own limit (an agent that never answers initialize must not hang
            // exec); the turn's, when shorter, bounds it too.
            Deadline handshake = Deadline.earliest(config.handshakeTimeout(), request.timeout());
            AuthSetup auth = new AuthSetup(config, ctx.environment(), request.failWhenAuthMissing());
            session = AgentSession.spawn(ctx, request.agent(), request.cwd(), auth, listener, request.access());
            // Published before the handshake, so that an interrupt or the runtime's close ends it.
            live.add(session);
            session.handshake(auth, handshake.remaining());
            AgentSession s = session;
            // SPEC-P2 §7 and §8: the MCP servers and the session options go with session/new.
            var mcp = McpServers.toProtocol(config.mcpServers());
            var meta = SessionMeta.forAgent(request.agentOptions(), request.agent().argv(), ctx.environment());
            NewSessionResponse created = s.call("session/new", handshake.remaining(),
                    () -> s.connection().newSession(request.cwd().toString(), mcp, meta));
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
            return PromptRetries.run(request.promptRetries(), listener, l ->
                    s.prompt(created.sessionId(), request.prompt(), l, request.permissions(), request.timeout()));
        } finally {
            if (session != null) {
                session.close("oneshot_complete");
                live.remove(session);
            }
            slot.ifPresent(Slot::close);
        }
    }
}
