package dev.acpx.core.engine.host;

import dev.acpx.core.engine.AwaitedTurn;
import dev.acpx.core.engine.EngineTurn;
import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.engine.SessionEngine;
import dev.acpx.core.engine.agent.AgentSession;
import dev.acpx.core.engine.agent.EngineContext;
import dev.acpx.core.lifecycle.SlotHolding;
import dev.acpx.core.fleet.FleetHolder;
import dev.acpx.core.fleet.FleetHolding;
import dev.acpx.core.fleet.FleetPool;
import dev.acpx.core.fleet.FleetSlot;
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
    private final FleetPool fleet;
    private final Set<FleetSlot> fleetSlots;

    public OneShotRunner(EngineContext ctx, Set<AgentSession> live) {
        this(ctx, live, null, java.util.concurrent.ConcurrentHashMap.newKeySet());
    }

    /**
     * @param fleet      the fleet-wide limit (docs/FLEET.md), or null for none
     * @param fleetSlots where the run's fleet slot is listed while held, so that the runtime's
     *                   interrupt can give it back after ending the agents
     */
    public OneShotRunner(EngineContext ctx, Set<AgentSession> live, FleetPool fleet, Set<FleetSlot> fleetSlots) {
        this.ctx = ctx;
        this.live = live;
        this.fleet = fleet;
        this.fleetSlots = fleetSlots;
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
        FleetSlot fleetSlot = null;
        if (fleet != null) {
            try {
                // A lost fleet slot ends the agent at once; the turn then fails and is reported below.
                fleetSlot = fleet.acquireNow(FleetHolder.ofCurrentProcess(fleet.options().hostName(), id,
                        request.agent().command(), request.cwd().toString()), host::close);
                fleetSlots.add(fleetSlot);
            } catch (RuntimeException e) {
                slot.ifPresent(Slot::close);
                throw e;
            }
        }
        SessionEngine engine = new SessionEngine(id, 1, Duration.ZERO, j -> host, journal, ctx.clock(), reason -> { });
        try {
            engine.start();
            AwaitedTurn turn = new AwaitedTurn();
            engine.submit(new EngineTurn(id, request.prompt(), request.permissions(), request.timeout(), listener, turn,
                    request.promptRetries()));
            TurnResult result = AwaitedTurn.resultOf(turn.await());
            throwIfFenced(fleetSlot);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted during the turn");
        } catch (RuntimeException e) {
            throwIfFenced(fleetSlot);
            throw e;
        } finally {
            // The engine stops and closes the host here, on this thread: the tree is gone when we return.
            engine.shutdown("oneshot_complete");
            host.close("oneshot_complete");
            if (fleetSlot != null) {
                fleetSlot.close();
                fleetSlots.remove(fleetSlot);
            }
            slot.ifPresent(Slot::close);
        }
    }

    private static void throwIfFenced(FleetSlot fleetSlot) {
        if (fleetSlot != null && fleetSlot.lostReason() != null) {
            throw FleetHolding.fenced(fleetSlot.lostReason());
        }
    }
}
