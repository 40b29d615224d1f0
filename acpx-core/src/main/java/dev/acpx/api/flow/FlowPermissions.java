package dev.acpx.api.flow;

import dev.acpx.api.PermissionMode;
import java.util.Objects;

/**
 * What a flow needs before it starts (checked by {@code acpx flow run}, exit 2 when unmet): the
 * permission mode must rank at least {@code requiredMode} (deny-all &lt; approve-reads &lt; approve-all),
 * and with {@code requireExplicitGrant} the mode must be given on the command line.
 */
public record FlowPermissions(PermissionMode requiredMode, boolean requireExplicitGrant, String reason) {
    public FlowPermissions {
        Objects.requireNonNull(requiredMode, "requiredMode");
        if (reason != null && reason.isBlank()) {
            throw new IllegalArgumentException("permissions.reason must not be empty");
        }
    }
}
