package dev.acpx.api;

/**
 * A policy's answer to a {@link PermissionRequest}. {@link Allow} and {@link Deny} fit every
 * request (for a tool call the engine picks the agent's option: allow_once, else allow_always,
 * else the first option; reject_once, else reject_always, else cancelled); {@link Select} names an
 * option of a tool call exactly.
 */
public sealed interface PermissionDecision {

    /**
     * Yes. {@code confirmed}: a person said so. Only a confirmed approval of a tool call that writes
     * (edit, delete, move) or executes covers that call's own file writes or terminal without a
     * second question; an approval by a rule or a mode never does (SPEC-P2 §6: the client methods
     * are governed by the mode).
     */
    record Allow(boolean confirmed) implements PermissionDecision {}

    /** No. */
    record Deny() implements PermissionDecision {}

    /** Answer a tool call with one of its options. */
    record Select(String optionId, boolean granted, boolean confirmed) implements PermissionDecision {
        public Select(String optionId, boolean granted) {
            this(optionId, granted, false);
        }
    }

    /** Answer {@code cancelled}: nothing chosen (a client method is refused). */
    record Cancel() implements PermissionDecision {}

    /**
     * Nobody can decide (no TTY under {@code --non-interactive-permissions fail}): a tool call's
     * turn fails with this error; a client method is refused with {@code message}.
     */
    record Fail(ErrorKind kind, String message) implements PermissionDecision {}

    /**
     * A policy rule said escalate and nobody could be asked: the tool call is refused (reject
     * option, else cancelled) and the escalation is reported to the agent
     * ({@code _meta.acpx.permissionEscalation}) and in the output. {@code matchedRule} is null when
     * the policy's defaultAction escalated.
     */
    record Escalated(String matchedRule) implements PermissionDecision {}

    /** Yes, not confirmed by a person. */
    static PermissionDecision allow(PermissionRequest request) {
        return new Allow(false);
    }

    /** No. */
    static PermissionDecision deny(PermissionRequest request) {
        return new Deny();
    }
}
