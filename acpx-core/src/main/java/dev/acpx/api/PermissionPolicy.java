package dev.acpx.api;

/**
 * Decides the agent's permission requests. Hosts plug in their own; {@link PermissionPolicies}
 * has the CLI's modes ready-made. Called on a runtime thread and may block (to ask a human).
 */
@FunctionalInterface
public interface PermissionPolicy {
    PermissionDecision decide(PermissionRequest request);

    /**
     * The person this policy asks, if any: the agent's other questions for the user (ACP
     * elicitations) go to the same person. Null (the default): nobody, and they are declined.
     */
    default PermissionPolicies.Prompter person() {
        return null;
    }
}
