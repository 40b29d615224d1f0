package dev.acpx.core.journal;

import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.jsonrpc.Direction;

/**
 * The session journal plugged into a session engine: the engine's {@link JournalHook} calls become
 * a {@link JournalSink}'s lines (turn markers around the turn's ACP messages, SPEC-P2 §1.1).
 */
public final class EngineJournal implements JournalHook {
    private final JournalSink sink;

    private EngineJournal(JournalSink sink) {
        this.sink = sink;
    }

    /** The hook that writes to {@code sink}. */
    public static JournalHook of(JournalSink sink) {
        return new EngineJournal(sink);
    }

    @Override
    public void turnStarted(String requestId, String prompt) {
        sink.turnStarted(requestId);
    }

    @Override
    public void message(Direction direction, String json) {
        sink.message(direction, json);
    }

    @Override
    public void messageBytes(Direction direction, dev.acpx.core.jsonrpc.ByteLine line) {
        sink.messageBytes(direction, line);
    }

    @Override
    public void turnEnded(String requestId, dev.acpx.core.engine.TurnOutcome outcome) {
        sink.turnResult(requestId, switch (outcome) {
            case dev.acpx.core.engine.TurnOutcome.Completed c -> TurnOutcome.of(c.result());
            case dev.acpx.core.engine.TurnOutcome.Failed f -> TurnOutcome.of(f.error());
        });
    }

    @Override
    public void close() {
        sink.close();
    }
}
