package dev.acpx.core.queue;

import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionMode;
import dev.acpx.api.PermissionRules;
import dev.acpx.api.PermissionSettings;
import java.util.Objects;

/**
 * One prompt as a caller hands it to the queue owner: the text, how the owner answers the agent's
 * permission requests for this turn, and the turn's time limit.
 *
 * @param prompt         the prompt text (not blank)
 * @param permissionMode approve-all, approve-reads or deny-all
 * @param nonInteractive what approve-reads does when it cannot ask a human (deny or fail)
 * @param timeoutMillis  the turn's time limit, or null for none
 * @param callerHasTty   whether the submitting caller can answer questions on its terminal (its stdin
 *                       and stderr are TTYs and it waits for the turn): the owner then sends the turn's
 *                       questions to it ({@link OwnerQuestion}); otherwise nobody can be asked
 * @param interest       which optional events (raw messages, agent stderr) the caller wants sent
 * @param rules          a permission policy file's rules, or null
 * @param promptRetries  {@code --prompt-retries}: how often a transiently failed prompt is sent again
 */
public record TurnRequest(String prompt, PermissionMode permissionMode, NonInteractivePermissions nonInteractive,
                          Long timeoutMillis, boolean callerHasTty, EventInterest interest, PermissionRules rules,
                          int promptRetries) {

    /** A turn that is not retried. */
    public TurnRequest(String prompt, PermissionMode permissionMode, NonInteractivePermissions nonInteractive,
                       Long timeoutMillis, boolean callerHasTty, EventInterest interest, PermissionRules rules) {
        this(prompt, permissionMode, nonInteractive, timeoutMillis, callerHasTty, interest, rules, 0);
    }

    /** A turn with policy rules whose caller gets every event. */
    public TurnRequest(String prompt, PermissionMode permissionMode, NonInteractivePermissions nonInteractive,
                       Long timeoutMillis, boolean callerHasTty, PermissionRules rules) {
        this(prompt, permissionMode, nonInteractive, timeoutMillis, callerHasTty, EventInterest.ALL, rules);
    }

    /** A turn without policy rules. */
    public TurnRequest(String prompt, PermissionMode permissionMode, NonInteractivePermissions nonInteractive,
                       Long timeoutMillis, boolean callerHasTty, EventInterest interest) {
        this(prompt, permissionMode, nonInteractive, timeoutMillis, callerHasTty, interest, null);
    }

    /** The permission settings of this turn. */
    public PermissionSettings permissions() {
        return new PermissionSettings(permissionMode, nonInteractive, rules);
    }

    public TurnRequest {
        Objects.requireNonNull(prompt, "prompt");
        if (prompt.isBlank()) {
            throw new IllegalArgumentException("prompt must not be blank");
        }
        Objects.requireNonNull(permissionMode, "permissionMode");
        Objects.requireNonNull(nonInteractive, "nonInteractive");
        Objects.requireNonNull(interest, "interest");
        if (promptRetries < 0) {
            throw new IllegalArgumentException("promptRetries must not be negative, got " + promptRetries);
        }
        if (timeoutMillis != null && timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeoutMillis must be positive or null, got " + timeoutMillis);
        }
    }

    /** A turn whose caller gets every event. */
    public TurnRequest(String prompt, PermissionMode permissionMode, NonInteractivePermissions nonInteractive,
                       Long timeoutMillis, boolean callerHasTty) {
        this(prompt, permissionMode, nonInteractive, timeoutMillis, callerHasTty, EventInterest.ALL, null);
    }

    /** A prompt with the CLI defaults: approve-reads, deny when no TTY, no time limit. */
    public static TurnRequest of(String prompt) {
        return new TurnRequest(prompt, PermissionMode.APPROVE_READS, NonInteractivePermissions.DENY, null, false);
    }
}
