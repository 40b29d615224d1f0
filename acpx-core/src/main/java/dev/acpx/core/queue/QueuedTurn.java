package dev.acpx.core.queue;

import dev.acpx.api.ErrorKind;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;
import dev.acpx.core.engine.EngineTurn;
import dev.acpx.core.engine.SessionEngine;
import dev.acpx.core.engine.TurnOutcome;
import dev.acpx.core.engine.TurnSink;
import java.time.Duration;

/**
 * A caller's submitted turn as the owner hands it to its {@link SessionEngine}: the engine's
 * events, acceptance and outcome become replies on the caller's connection.
 */
final class QueuedTurn implements TurnSink, TurnListener {
    private final String requestId;
    private final TurnRequest request;
    private final boolean noWait;
    private final Outbox outbox;
    /** Set under the engine's lock before any event: a refusal is answered to every caller, an outcome only to waiters. */
    private volatile boolean accepted;

    QueuedTurn(String requestId, TurnRequest request, boolean noWait, Outbox outbox) {
        this.requestId = requestId;
        this.request = request;
        this.noWait = noWait;
        this.outbox = outbox;
    }

    /** The engine's form of this turn; questions go to the caller through {@code questions} when it can answer. */
    EngineTurn toEngineTurn(CallerQuestions questions) {
        // Questions go to the caller's terminal when it has one and waits for the turn (SPEC §6).
        boolean canAsk = request.callerHasTty() && !noWait;
        Duration timeout = request.timeoutMillis() == null ? null : Duration.ofMillis(request.timeoutMillis());
        return new EngineTurn(requestId, request.prompt(),
                request.permissions().policy(canAsk ? questions.prompter(outbox) : null), timeout, this, this,
                request.promptRetries());
    }

    /**
     * Sends one of the turn's events to the submitter if it waits and asked for this kind; waits
     * while the submitter has too much unread (back-pressure on the turn).
     */
    @Override
    public void onEvent(TurnEvent event) {
        if (!noWait && request.interest().accepts(event)) {
            outbox.sendEvent(new IpcReply.Event(IpcEvents.toIpc(event)));
        }
    }

    /** What the caller asked for: the engine need not even make what nobody gets. */
    @Override
    public boolean wants(Class<? extends TurnEvent> kind) {
        if (noWait) {
            return kind != TurnEvent.Wire.class && kind != TurnEvent.AgentStderr.class;
        }
        EventInterest interest = request.interest();
        return kind == TurnEvent.Wire.class ? interest.wire()
                : kind != TurnEvent.AgentStderr.class || interest.agentStderr();
    }

    @Override
    public long maxWireChars() {
        return request.interest().wireLimit();
    }

    @Override
    public boolean wantsUpdateWire() {
        return request.interest().updateWire();
    }

    @Override
    public void accepted(int position) {
        accepted = true;
        if (!noWait) {
            outbox.hold();
        }
        outbox.send(new IpcReply.Accepted(requestId, position));
    }

    /** Sends the turn's last reply and lets the connection close; a refusal goes to every caller. */
    @Override
    public void finished(TurnOutcome outcome) {
        if (accepted && noWait) {
            return; // the caller left after "accepted"
        }
        IpcReply last = switch (outcome) {
            case TurnOutcome.Completed c -> new IpcReply.Done(IpcEvents.toIpc(c.result()));
            case TurnOutcome.Failed f -> new IpcReply.Error(f.error().kind() == null ? ErrorKind.RUNTIME
                    : f.error().kind(), f.error().getMessage(), f.retryElsewhere());
        };
        outbox.send(last);
        if (accepted) {
            outbox.release();
        }
    }
}
