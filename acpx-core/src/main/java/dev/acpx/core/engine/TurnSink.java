package dev.acpx.core.engine;

/**
 * Where a {@link SessionEngine} reports on one submitted turn, besides its events: a queue owner
 * sends these to the caller's socket, an embedded session completes the caller's wait.
 */
public interface TurnSink {

    /**
     * The turn is queued, {@code position} turns ahead of it (0: it runs next). Called under the
     * engine's lock, so it precedes every event of the turn; must not block for long.
     */
    void accepted(int position);

    /** The turn's last word: called exactly once, also for a turn refused at submission. */
    void finished(TurnOutcome outcome);
}
