package dev.acpx.core.journal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event of a journal at its sequence: a turn start, an ACP message (with the turn it belongs
 * to, or null), or a turn result ({@code payload} = the result object).
 */
public record JournalEvent(long sequence, Type type, String requestId, ObjectNode payload) {
    public enum Type { TURN_STARTED, MESSAGE, TURN_RESULT }
}
