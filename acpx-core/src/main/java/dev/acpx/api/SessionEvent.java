package dev.acpx.api;

/**
 * One event of a persistent session's journal, as {@code sessions watch} shows it. Every event
 * carries its own cursor: reading or following from that cursor resumes strictly after it.
 */
public sealed interface SessionEvent {
    String cursor();

    /** The queue request id of the turn the event belongs to; null for a message outside a turn. */
    String requestId();

    /** A prompt turn started. */
    record TurnStarted(String cursor, String requestId) implements SessionEvent {}

    /** One ACP JSON-RPC message either way, as compact JSON text (parse it with any JSON library). */
    record Message(String cursor, String requestId, String json) implements SessionEvent {}

    /**
     * A turn ended: {@code status} completed, cancelled or failed; {@code stopReason} for the first
     * two, {@code errorMessage} for failed; {@code resultJson} the whole journaled result object.
     */
    record TurnFinished(String cursor, String requestId, String status, String stopReason, String errorMessage,
                        String resultJson) implements SessionEvent {}
}
