package dev.acpx.api;

import java.util.List;

/**
 * Reads journaled ACP messages ({@link SessionEvent.Message#json()}) back as the {@link TurnEvent}s a
 * live turn showed for them, so a host renders a watched turn as it renders a live one. Stateful: a
 * tool call's later updates are merged with its first announcement, as during the turn. Not
 * thread-safe; one per watch.
 */
public interface MessageEvents {

    /**
     * The events of one message: always a {@link TurnEvent.Wire} (its direction inferred from the
     * method, or from the request an answer belongs to), then for a {@code session/update} its
     * translated event. A line that is not JSON gives only its Wire event.
     */
    List<TurnEvent> events(String acpMessageJson);

    /** A new turn: forgets the tool calls and requests seen so far. */
    void reset();
}
