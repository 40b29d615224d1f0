package dev.acpx.api;

/** Receives a turn's events in order; called from the runtime's threads, one event at a time. */
@FunctionalInterface
public interface TurnListener {
    void onEvent(TurnEvent event);

    /** A listener that drops everything. */
    static TurnListener ignoring() {
        return event -> { };
    }
}
