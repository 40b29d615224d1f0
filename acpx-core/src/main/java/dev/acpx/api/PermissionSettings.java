package dev.acpx.api;

import java.util.Objects;

/**
 * How a turn's permissions are decided, as data that can travel to a queue owner: the mode, what
 * approve-reads does when nobody can be asked, and an optional policy file's rules (which go before
 * the mode, for tool calls only).
 *
 * @param rules null when no policy file was given
 */
public record PermissionSettings(PermissionMode mode, NonInteractivePermissions nonInteractive, PermissionRules rules) {
    public PermissionSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(nonInteractive, "nonInteractive");
    }

    /** The CLI's defaults: approve-reads, deny when nobody can be asked, no rules. */
    public static PermissionSettings defaults() {
        return new PermissionSettings(PermissionMode.APPROVE_READS, NonInteractivePermissions.DENY, null);
    }

    /** The policy these settings describe; {@code prompter} asks a person, null when nobody can be asked. */
    public PermissionPolicy policy(PermissionPolicies.Prompter prompter) {
        PermissionPolicy byMode = PermissionPolicies.forMode(mode, prompter, nonInteractive);
        PermissionPolicy policy = rules == null ? byMode : PermissionPolicies.withRules(rules, byMode, prompter);
        return PermissionPolicies.askingThrough(policy, prompter);
    }
}
