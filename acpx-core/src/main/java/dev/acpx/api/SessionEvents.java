package dev.acpx.api;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reading a persistent session's journal without touching its turns ({@code sessions watch} for an
 * embedding host). Cursor problems are {@link AcpxException}s of kind USAGE, with the Node acpx's
 * detail code (WATCH_CURSOR_INVALID, _FOREIGN, _FUTURE, _EXPIRED) as their {@code detail()}.
 */
public interface SessionEvents {

    /** The retained events after {@code cursor} (null: from the start), without waiting for more. */
    List<SessionEvent> read(String recordId, String cursor);

    /**
     * Replays after {@code cursor}, then follows the live session, handing each event to {@code sink}
     * on the calling thread; returns when the session is closed and settled or {@code stopped} is
     * true; throws (RUNTIME, detail WATCH_OUTCOME_UNKNOWN) when its owner died mid-turn.
     */
    void follow(String recordId, String cursor, Consumer<SessionEvent> sink, BooleanSupplier stopped)
            throws InterruptedException;

    /** A fresh reader that turns this journal's messages into the events a live turn showed. */
    MessageEvents messageEvents();
}
