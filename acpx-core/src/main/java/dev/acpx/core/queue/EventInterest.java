package dev.acpx.core.queue;

import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;

/**
 * Which optional events a caller asked its queue owner for: the raw ACP messages (json output)
 * and the agent's stderr ({@code --verbose}). Everything else always goes to every caller. An
 * agent can write hundreds of megabytes of either, so a caller that would drop them never gets them.
 */
public record EventInterest(boolean wire, boolean agentStderr, long wireLimit, boolean updateWire) {
    /** Every event: what callers of builds that did not say get. */
    public static final EventInterest ALL = new EventInterest(true, true);

    /** Raw messages of any size ({@code wireLimit}: the longest raw message the caller reads). */
    public EventInterest(boolean wire, boolean agentStderr) {
        this(wire, agentStderr, Long.MAX_VALUE, true);
    }

    /** What {@code listener} says it wants. */
    public static EventInterest of(TurnListener listener) {
        return new EventInterest(listener.wants(TurnEvent.Wire.class), listener.wants(TurnEvent.AgentStderr.class),
                listener.maxWireChars(), listener.wantsUpdateWire());
    }

    /** True when the caller is to get {@code event}. */
    public boolean accepts(TurnEvent event) {
        return switch (event) {
            case TurnEvent.Wire w -> wire && w.json().length() <= wireLimit
                    && (updateWire || !dev.acpx.core.jsonrpc.RawLines.isUpdateNotification(w.json()));
            case TurnEvent.AgentStderr s -> agentStderr;
            default -> true;
        };
    }
}
