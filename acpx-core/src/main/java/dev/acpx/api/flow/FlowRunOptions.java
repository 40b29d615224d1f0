package dev.acpx.api.flow;

import dev.acpx.api.AgentRef;
import dev.acpx.api.ClientAccess;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.SessionAgentOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How runs go: the run's cwd, the agent of acp nodes without a profile, the permission policy of
 * every ACP session, the default per-node timeout (null: 15 minutes, as the Node acpx), what
 * {@code session/new} asks for, the client capabilities offered, and {@code flowPath} (shown in the run
 * store; null for a flow built in Java). {@code sourceJson}: the data file's text, kept in the run store so
 * {@code acpx flow resume} reads the definition the run started with (null for Java flows).
 */
public record FlowRunOptions(Path cwd, AgentRef defaultAgent, PermissionPolicy permissions, Duration defaultTimeout,
                             SessionAgentOptions agentOptions, ClientAccess access, String flowPath,
                             String sourceJson) {
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMinutes(15);

    public FlowRunOptions {
        cwd = Objects.requireNonNull(cwd, "cwd").toAbsolutePath().normalize();
        Objects.requireNonNull(permissions, "permissions");
        defaultTimeout = defaultTimeout == null ? DEFAULT_NODE_TIMEOUT : defaultTimeout;
        agentOptions = agentOptions == null ? SessionAgentOptions.NONE : agentOptions;
        access = access == null ? ClientAccess.FULL : access;
    }

    public FlowRunOptions(Path cwd, AgentRef defaultAgent, PermissionPolicy permissions) {
        this(cwd, defaultAgent, permissions, null, null, null, null, null);
    }
}
