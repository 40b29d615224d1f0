package dev.acpx.core.journal;

import dev.acpx.core.jsonrpc.Direction;

/**
 * Where a persistent session's turns are recorded: the only hook the engine needs to keep the
 * {@code <id>.stream.ndjson} journal. Implementations must not throw (a journal that cannot be
 * written never fails a turn; the failure is kept in the record's {@code event_log.last_write_error}).
 */
public interface JournalSink {

    /** A prompt turn with this queue request id starts. */
    void turnStarted(String requestId);

    /** One ACP JSON-RPC line that went to ({@code OUT}) or came from ({@code IN}) the agent, verbatim. */
    void message(Direction direction, String rawLine);

    /** As {@link #message}, a line as its bytes (lent for the call): no string of a big line. */
    default void messageBytes(Direction direction, dev.acpx.core.jsonrpc.ByteLine line) {
        message(direction, line.text());
    }

    /** The turn ended: see {@link TurnOutcome}. */
    void turnResult(String requestId, TurnOutcome outcome);

    /** Writes the record's journal keys; later calls are ignored. */
    void close();

    /** A sink that records nothing. */
    JournalSink NONE = new JournalSink() {
        @Override public void turnStarted(String requestId) {}
        @Override public void message(Direction direction, String rawLine) {}
        @Override public void turnResult(String requestId, TurnOutcome outcome) {}
        @Override public void close() {}
    };
}
