package dev.acpx.api;

/** Receives a turn's events in order; called from the runtime's threads, one event at a time. */
@FunctionalInterface
public interface TurnListener {
    void onEvent(TurnEvent event);

    /**
     * Whether this listener wants events of {@code kind} at all. Only the bulky diagnostic kinds,
     * {@link TurnEvent.Wire} (every raw ACP message) and {@link TurnEvent.AgentStderr}, are ever left
     * out on its word: a queue owner then does not even send them to this caller, so a listener that
     * would ignore them should say so. Every other kind is always delivered. Default: everything.
     */
    default boolean wants(Class<? extends TurnEvent> kind) {
        return true;
    }

    /**
     * The longest raw message ({@link TurnEvent.Wire}) this listener reads, in bytes: longer ones are
     * not delivered (a queue owner does not send them), so a listener that only looks at small
     * messages spares its process a copy of an agent's 50 MB line. Default: no limit.
     */
    default long maxWireChars() {
        return Long.MAX_VALUE;
    }

    /**
     * Whether the raw {@code session/update} notifications are among the {@link TurnEvent.Wire} events
     * wanted (their content also arrives as typed events): a listener that reads raw messages only
     * for the requests and answers says no, and a flood of updates is not sent twice. Default: yes.
     */
    default boolean wantsUpdateWire() {
        return true;
    }

    /**
     * A line about the run rather than the turn, as the Node acpx prints it on stderr (for example
     * {@code [acpx] prompt failed (Internal error), retrying in 1000ms (attempt 1/3)}). Default: dropped.
     */
    default void notice(String line) {
    }

        /** A listener that drops everything. */
    static TurnListener ignoring() {
        return event -> { };
    }
}
