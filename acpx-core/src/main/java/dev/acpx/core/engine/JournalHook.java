package dev.acpx.core.engine;

import dev.acpx.core.jsonrpc.Direction;

/**
 * The event journal's hook into a {@link SessionEngine}: the one place where a session's history
 * of turns and ACP traffic can be written down (the {@code <id>.stream.ndjson} journal). Every
 * engine, in every mode (queue owner process, embedded session, one-shot {@code exec}), calls it:
 *
 * <ol>
 *   <li>{@link #turnStarted} on the engine's worker thread, just before a turn runs;</li>
 *   <li>{@link #message} for every JSON-RPC line of the agent connection, both ways, from the
 *       connection's reader thread ({@link Direction#IN}) or the writing thread ({@link Direction#OUT}),
 *       also outside turns (initialize, session/new|load|resume, set_mode, ...);</li>
 *   <li>{@link #turnEnded} on the worker thread once the turn's outcome is known, before its caller
 *       gets it and before the next turn starts.</li>
 * </ol>
 *
 * For one turn, then: started, its messages, ended, in that order. Implementations must be quick,
 * thread-safe and must not throw (a failure is theirs to report; the engine ignores what they throw).
 * The default methods do nothing; {@link #NONE} is the hook of an engine without a journal.
 */
public interface JournalHook {

    /** The hook that records nothing (and asks the connection for no raw lines). */
    JournalHook NONE = new JournalHook() {
        @Override
        public boolean wantsMessages() {
            return false;
        }
    };

    /** A turn starts running (it left the queue). */
    default void turnStarted(String requestId, String prompt) {}

    /** One JSON-RPC message of the agent connection, verbatim (one JSON text, no newline). */
    default void message(Direction direction, String json) {}

    /**
     * As {@link #message}, a line read that nobody made a string of, as its bytes (lent for the call;
     * not yet parsed, so it may be no JSON at all): a hook that keeps big lines writes them from here.
     */
    default void messageBytes(Direction direction, dev.acpx.core.jsonrpc.ByteLine line) {
        if (wantsMessages()) {
            message(direction, line.text());
        }
    }

    /** The turn ended: completed (with its stop reason) or failed. */
    default void turnEnded(String requestId, TurnOutcome outcome) {}

    /**
     * Whether {@link #message} is wanted at all: when false the connection need not make a string of
     * each line it reads (one copy less of a big line).
     */
    default boolean wantsMessages() {
        return true;
    }

    /** The session's host is closing for good: write down what is pending (the record's journal keys). */
    default void close() {}
}
