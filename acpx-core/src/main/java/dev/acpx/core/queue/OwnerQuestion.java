package dev.acpx.core.queue;

/**
 * A question the owner asks the person at the caller's terminal during the caller's turn (a
 * permission, a write, a terminal, an escalation; later an elicitation). The caller answers with
 * {@link CallerAnswer} on the same connection; a caller that leaves has answered no.
 *
 * @param kind {@link #CONFIRM} (a yes/no question, answered {@code yes} or {@code no}); a caller
 *             that does not know a kind answers it with an empty answer, which means no
 * @param text the question as it is to be shown, ending with its prompt (for example {@code (y/N) })
 */
public record OwnerQuestion(String questionId, String kind, String text) implements IpcReply {
    /** A yes/no question. */
    public static final String CONFIRM = "confirm";
    /** A line of text (an elicitation's form field); answered with the line, or null when nobody typed one. */
    public static final String LINE = "line";
}
