package dev.acpx.core.queue;

import dev.acpx.core.config.NonInteractivePermissions;
import dev.acpx.core.config.PermissionMode;
import java.util.Objects;

/**
 * One prompt as a caller hands it to the queue owner: the text, how the owner answers the agent's
 * permission requests for this turn, and the turn's time limit.
 *
 * @param prompt         the prompt text (not blank)
 * @param permissionMode approve-all, approve-reads or deny-all
 * @param nonInteractive what approve-reads does when it cannot ask a human (deny or fail)
 * @param timeoutMillis  the turn's time limit, or null for none
 * @param callerHasTty   whether the submitting caller runs on a terminal; the owner itself never has
 *                       one, so this only tells the engine what the caller could have offered
 * @param interest       which optional events (raw messages, agent stderr) the caller wants sent
 */
public record TurnRequest(String prompt, PermissionMode permissionMode, NonInteractivePermissions nonInteractive,
                          Long timeoutMillis, boolean callerHasTty, EventInterest interest) {

    public TurnRequest {
        Objects.requireNonNull(prompt, "prompt");
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("prompt must not be blank");
        }
        Objects.requireNonNull(permissionMode, "permissionMode");
        Objects.requireNonNull(nonInteractive, "nonInteractive");
        Objects.requireNonNull(interest, "interest");
        if (timeoutMillis != null && timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeoutMillis must be positive or null, got " + timeoutMillis);
        }
    }

    /** A turn whose caller gets every event. */
    public TurnRequest(String prompt, PermissionMode permissionMode, NonInteractivePermissions nonInteractive,
                       Long timeoutMillis, boolean callerHasTty) {
        this(prompt, permissionMode, nonInteractive, timeoutMillis, callerHasTty, EventInterest.ALL);
    }

    /** A prompt with the CLI defaults: approve-reads, deny when no TTY, no time limit. */
    public static TurnRequest of(String prompt) {
        return new TurnRequest(prompt, PermissionMode.APPROVE_READS, NonInteractivePermissions.DENY, null, false);
    }
}
