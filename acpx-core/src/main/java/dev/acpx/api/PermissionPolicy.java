package dev.acpx.api;

/**
 * Decides the agent's permission requests. Hosts plug in their own; {@link PermissionPolicies}
 * has the CLI's modes ready-made. Called on a runtime thread and may block (to ask a human).
 */
@FunctionalInterface
public interface PermissionPolicy {
    PermissionDecision decide(PermissionRequest request);
}
