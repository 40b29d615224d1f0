package dev.acpx.core.engine.host;

import dev.acpx.core.engine.AwaitedTurn;
import dev.acpx.core.engine.EngineTurn;
import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.engine.SessionEngine;
import dev.acpx.core.engine.agent.AgentSession;
import dev.acpx.core.engine.agent.EngineContext;
import dev.acpx.core.lifecycle.SlotHolding;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.lifecycle.HolderInfo;
import dev.acpx.core.lifecycle.Slot;
import dev.acpx.core.lifecycle.SlotPool;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code exec}: a {@link SessionEngine} in one-shot mode, over a {@link OneShotHost}: a fresh agent
 * and session for one turn. Whatever happens (success, error, timeout, interrupt, crash) the
 * agent's whole tree is ended and its slot freed before this returns.
 */
public final class OneShotRunner {
    private final EngineContext ctx;
    private final Set<AgentSession> live;

    public OneShotRunner(EngineContext ctx, Set<AgentSession> live) {
        this.ctx = ctx;
        this.live = live;
    }

    public TurnResult run(ExecRequest request, AcpxConfig config, SlotPool slots, TurnListener listener) {
        return run(request, config, slots, listener, JournalHook.NONE);
    }

    /** As above, the engine reporting to {@code journal}. */
    public TurnResult run(ExecRequest request, AcpxConfig config, SlotPool slots, TurnListener listener,
                          JournalHook journal) {
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
        OneShotHost host = new OneShotHost(ctx, request, config, live, journal);
        SessionEngine engine = new SessionEngine(id, 1, Duration.ZERO, j -> host, journal, ctx.clock(), reason -> { });
        try {
            engine.start();
            AwaitedTurn turn = new AwaitedTurn();
            engine.submit(new EngineTurn(id, request.prompt(), request.permissions(), request.timeout(), listener, turn,
                    request.promptRetries()));
            return AwaitedTurn.resultOf(turn.await());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted during the turn");
        } finally {
            // The engine stops and closes the host here, on this thread: the tree is gone when we return.
            engine.shutdown("oneshot_complete");
            host.close("oneshot_complete");
            slot.ifPresent(Slot::close);
        }
    }
}
