package dev.acpx.core.queue;

/**
 * The caller's answer to an {@link OwnerQuestion}: {@code yes} or {@code no} for a confirm
 * question; anything else, or no answer at all, counts as no.
 */
public record CallerAnswer(String questionId, String answer) implements IpcRequest {
    public static final String YES = "yes";
    public static final String NO = "no";
}
