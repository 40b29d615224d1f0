package dev.acpx.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link AcpxRuntime#open} opens: the agent, the working directory, the session's name (for
 * persistent ones), how permissions are decided, the turns' time limit, and how long to wait for a
 * host-wide slot. Build one with {@link #persistent} or {@link #oneShot} and the {@code with...}
 * methods.
 *
 * @param name persistent only: the scope's session name, null for the default one
 * @param turnTimeout each turn's limit, null for none (the config's {@code timeout} is not applied)
 * @param slotWait how long to wait for a free slot when the host is full; null takes the runtime's
 *                 default, {@link Duration#ZERO} fails at once
 * @param access   the client capabilities offered to the agent (null = all)
 * @param handshakeTimeout the limit of the agent's start (initialize up to the session being open
 *                 again); null takes the runtime's, else the config's {@code handshakeTimeout} (60 s)
 * @param agentOptions what {@code session/new} asks for (SPEC-P2 §8); a persistent session keeps
 *                 them in its record (over the ones stored there) for every later fallback to a new session
 */
public record SessionOptions(AgentRef agent, Path cwd, SessionMode mode, String name, PermissionPolicy permissions,
                             Duration turnTimeout, Duration slotWait, ClientAccess access, Duration handshakeTimeout,
                             SessionAgentOptions agentOptions) {
    public SessionOptions(AgentRef agent, Path cwd, SessionMode mode, String name, PermissionPolicy permissions,
                          Duration turnTimeout, Duration slotWait, ClientAccess access, Duration handshakeTimeout) {
        this(agent, cwd, mode, name, permissions, turnTimeout, slotWait, access, handshakeTimeout, null);
    }

    /** All capabilities, the handshake limit from the runtime or the config. */
    public SessionOptions(AgentRef agent, Path cwd, SessionMode mode, String name, PermissionPolicy permissions,
                          Duration turnTimeout, Duration slotWait) {
        this(agent, cwd, mode, name, permissions, turnTimeout, slotWait, ClientAccess.FULL, null);
    }

    public SessionOptions {
        access = access == null ? ClientAccess.FULL : access;
        agentOptions = agentOptions == null ? SessionAgentOptions.NONE : agentOptions;
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(permissions, "permissions");
        TimeLimits.require("the turn timeout", turnTimeout, false);
        cwd = cwd.toAbsolutePath().normalize();
        if (mode == SessionMode.ONESHOT && name != null) {
            throw AcpxException.usage("a one-shot session has no name; open a persistent one to name it");
        }
        if (slotWait != null && slotWait.isNegative()) {
            throw AcpxException.usage("slotWait must not be negative, got " + slotWait);
        }
        if (handshakeTimeout != null && (handshakeTimeout.isNegative() || handshakeTimeout.isZero())) {
            throw AcpxException.usage("handshakeTimeout must be positive, got " + handshakeTimeout);
        }
    }

    /** A persistent session of the default scope, approving reads and denying the rest. */
    public static SessionOptions persistent(AgentRef agent, Path cwd) {
        return new SessionOptions(agent, cwd, SessionMode.PERSISTENT, null,
                PermissionPolicies.approveReads(null, NonInteractivePermissions.DENY), null, null);
    }

    /** A one-shot session, approving reads and denying the rest. */
    public static SessionOptions oneShot(AgentRef agent, Path cwd) {
        return new SessionOptions(agent, cwd, SessionMode.ONESHOT, null,
                PermissionPolicies.approveReads(null, NonInteractivePermissions.DENY), null, null);
    }

    public SessionOptions withName(String name) {
        return new SessionOptions(agent, cwd, mode, name, permissions, turnTimeout, slotWait, access, handshakeTimeout,
                agentOptions);
    }

    public SessionOptions withPermissions(PermissionPolicy permissions) {
        return new SessionOptions(agent, cwd, mode, name, permissions, turnTimeout, slotWait, access, handshakeTimeout,
                agentOptions);
    }

    public SessionOptions withTurnTimeout(Duration turnTimeout) {
        return new SessionOptions(agent, cwd, mode, name, permissions, turnTimeout, slotWait, access, handshakeTimeout,
                agentOptions);
    }

    public SessionOptions withSlotWait(Duration slotWait) {
        return new SessionOptions(agent, cwd, mode, name, permissions, turnTimeout, slotWait, access, handshakeTimeout,
                agentOptions);
    }

    /** Which client capabilities the agent is offered (SPEC-P2 §8). */
    public SessionOptions withAccess(ClientAccess access) {
        return new SessionOptions(agent, cwd, mode, name, permissions, turnTimeout, slotWait, access, handshakeTimeout,
                agentOptions);
    }

    /** The limit of the agent's start, for this session; see {@link #handshakeTimeout()}. */
    public SessionOptions withHandshakeTimeout(Duration handshakeTimeout) {
        return new SessionOptions(agent, cwd, mode, name, permissions, turnTimeout, slotWait, access, handshakeTimeout,
                agentOptions);
    }

    /** What {@code session/new} asks the agent for: model, tools, turn limit, system prompt (SPEC-P2 §8). */
    public SessionOptions withAgentOptions(SessionAgentOptions agentOptions) {
        return new SessionOptions(agent, cwd, mode, name, permissions, turnTimeout, slotWait, access, handshakeTimeout,
                agentOptions);
    }
}
