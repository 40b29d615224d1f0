package dev.acpx.core.config;

import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The merged configuration: defaults, then {@code ~/.acpx/config.json}, then
 * {@code <cwd>/.acpxrc.json}. Command-line flags are applied on top by the caller.
 *
 * @param defaultAgent              agent used when none is named (normalized: trimmed, lower case)
 * @param ttl                       queue owner idle time before it exits; zero means never
 * @param timeout                   turn timeout, or null for none
 * @param queueMaxDepth             bounded depth of a session's prompt queue
 * @param agents                    agent name (normalized) to launch definition; overrides built-ins
 * @param auth                      auth method id to credential; never printed
 * @param mcpServers                MCP server list as written in the config (a JSON array)
 * @param disableExec               the Node acpx's switch that refuses {@code exec}
 * @param maxConcurrentSessions     host-wide limit of live sessions, or null for unlimited
 * @param handshakeTimeout          limit of an agent's start: initialize, authenticate, opening the
 *                                  session and applying its saved mode and options again (ours)
 */
public record AcpxConfig(
        String defaultAgent,
        PermissionMode defaultPermissions,
        NonInteractivePermissions nonInteractivePermissions,
        AuthPolicy authPolicy,
        Duration ttl,
        Duration timeout,
        OutputFormat format,
        int queueMaxDepth,
        Map<String, AgentDefinition> agents,
        Map<String, String> auth,
        JsonNode mcpServers,
        boolean disableExec,
        Integer maxConcurrentSessions,
        Duration handshakeTimeout) {

    public static final String DEFAULT_AGENT = "codex";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
    public static final int DEFAULT_QUEUE_MAX_DEPTH = 16;
    /** Long enough for an agent that installs itself on first use (npx), short of "forever". */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    public AcpxConfig {
        Objects.requireNonNull(defaultAgent, "defaultAgent");
        Objects.requireNonNull(defaultPermissions, "defaultPermissions");
        Objects.requireNonNull(nonInteractivePermissions, "nonInteractivePermissions");
        Objects.requireNonNull(authPolicy, "authPolicy");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        if (queueMaxDepth <= 0) {
            throw new IllegalArgumentException("queueMaxDepth must be positive");
        }
        if (maxConcurrentSessions != null && maxConcurrentSessions <= 0) {
            throw new IllegalArgumentException("maxConcurrentSessions must be positive or null");
        }
        // File order is kept: config show lists agents as written, like the Node acpx.
        agents = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(agents));
        auth = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(auth));
        mcpServers = mcpServers == null ? JsonNodeFactory.instance.arrayNode() : mcpServers.deepCopy();
    }

    /** This configuration with another MCP server list ({@code --mcp-config} replaces the files' one). */
    public AcpxConfig withMcpServers(JsonNode servers) {
        return new AcpxConfig(defaultAgent, defaultPermissions, nonInteractivePermissions, authPolicy, ttl, timeout,
                format, queueMaxDepth, agents, auth, servers, disableExec, maxConcurrentSessions, handshakeTimeout);
    }

    /** The configuration with no file at all: the Node acpx's defaults. */
    public static AcpxConfig defaults() {
        return new AcpxConfig(DEFAULT_AGENT, PermissionMode.APPROVE_READS, NonInteractivePermissions.DENY,
                AuthPolicy.SKIP, DEFAULT_TTL, null, OutputFormat.TEXT, DEFAULT_QUEUE_MAX_DEPTH,
                Map.of(), Map.of(), null, false, null, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** A copy, since JSON nodes are mutable. */
    @Override
    public JsonNode mcpServers() {
        return mcpServers.deepCopy();
    }

    /** The turn timeout, if any. */
    public Optional<Duration> timeoutIfAny() {
        return Optional.ofNullable(timeout);
    }

    /**
     * The credential for an auth method: the environment's {@code ACPX_AUTH_<TOKEN>} first, then
     * config {@code auth} under the exact method id, then under its token (the Node acpx's order).
     * Blank values count as absent.
     */
    public Optional<String> credentialFor(String methodId, Map<String, String> env) {
        Optional<String> fromEnv = AuthEnv.fromEnv(methodId, env);
        if (fromEnv.isPresent()) {
            return fromEnv;
        }
        String configured = auth.get(methodId);
        if (configured == null) {
            configured = auth.get(AuthEnv.token(methodId));
        }
        return Optional.ofNullable(configured).filter(value -> !value.isBlank());
    }

    /** Never shows credentials, only which methods have one. */
    @Override
    public String toString() {
        return "AcpxConfig[defaultAgent=" + defaultAgent + ", defaultPermissions=" + defaultPermissions.wireName()
                + ", nonInteractivePermissions=" + nonInteractivePermissions.wireName()
                + ", authPolicy=" + authPolicy.wireName() + ", ttl=" + ttl + ", timeout=" + timeout
                + ", format=" + format.wireName() + ", queueMaxDepth=" + queueMaxDepth + ", agents=" + agents
                + ", authMethods=" + auth.keySet() + ", mcpServers=" + mcpServers + ", disableExec=" + disableExec
                + ", maxConcurrentSessions=" + maxConcurrentSessions + ", handshakeTimeout=" + handshakeTimeout + "]";
    }
}
