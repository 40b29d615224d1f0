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
 * {@code heartbeat}: how often a running node's {@code lastHeartbeatAt} and {@code live.json} are
 * refreshed and a {@code node_heartbeat} traced (null: 5 s, as the Node acpx; zero: never).
 */
public record FlowRunOptions(Path cwd, AgentRef defaultAgent, PermissionPolicy permissions, Duration defaultTimeout,
                             SessionAgentOptions agentOptions, ClientAccess access, String flowPath,
                             String sourceJson, Duration heartbeat) {
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

    public FlowRunOptions {
        cwd = Objects.requireNonNull(cwd, "cwd").toAbsolutePath().normalize();
        Objects.requireNonNull(permissions, "permissions");
        defaultTimeout = defaultTimeout == null ? DEFAULT_NODE_TIMEOUT : defaultTimeout;
        agentOptions = agentOptions == null ? SessionAgentOptions.NONE : agentOptions;
        access = access == null ? ClientAccess.FULL : access;
        heartbeat = heartbeat == null ? DEFAULT_HEARTBEAT : heartbeat;
        if (heartbeat.isNegative()) {
            throw new IllegalArgumentException("heartbeat must not be negative, got " + heartbeat);
        }
    }

    public FlowRunOptions(Path cwd, AgentRef defaultAgent, PermissionPolicy permissions, Duration defaultTimeout,
                          SessionAgentOptions agentOptions, ClientAccess access, String flowPath, String sourceJson) {
        this(cwd, defaultAgent, permissions, defaultTimeout, agentOptions, access, flowPath, sourceJson, null);
    }

    /** These options with another heartbeat interval (zero: none). */
    public FlowRunOptions withHeartbeat(Duration heartbeat) {
        return new FlowRunOptions(cwd, defaultAgent, permissions, defaultTimeout, agentOptions, access, flowPath,
                sourceJson, heartbeat);
    }

    public FlowRunOptions(Path cwd, AgentRef defaultAgent, PermissionPolicy permissions) {
        this(cwd, defaultAgent, permissions, null, null, null, null, null, null);
    }
}
