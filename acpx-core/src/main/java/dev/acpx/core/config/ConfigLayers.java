package dev.acpx.core.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The two config files as loaded, and their merge: the project file wins key by key, and the
 * {@code agents} and {@code auth} maps are merged entry by entry.
 */
public record ConfigLayers(ConfigLayer global, ConfigLayer project) {

    /** The merged view over the defaults. */
    public AcpxConfig merged() {
        AcpxConfig defaults = AcpxConfig.defaults();
        Map<String, AgentDefinition> agents = new LinkedHashMap<>(global.agents());
        agents.putAll(project.agents());
        Map<String, String> auth = new LinkedHashMap<>(global.auth());
        auth.putAll(project.auth());
        // timeout is the one key where an explicit null overrides: "no timeout here".
        Duration timeout = project.timeoutSet() ? project.timeout()
                : global.timeoutSet() ? global.timeout() : defaults.timeout();
        return new AcpxConfig(
                pick(ConfigLayer::defaultAgent, defaults.defaultAgent()),
                pick(ConfigLayer::defaultPermissions, defaults.defaultPermissions()),
                pick(ConfigLayer::nonInteractivePermissions, defaults.nonInteractivePermissions()),
                pick(ConfigLayer::authPolicy, defaults.authPolicy()),
                pick(ConfigLayer::ttl, defaults.ttl()),
                timeout,
                pick(ConfigLayer::format, defaults.format()),
                pick(ConfigLayer::queueMaxDepth, defaults.queueMaxDepth()),
                agents,
                auth,
                pick(ConfigLayer::mcpServers, defaults.mcpServers()),
                pick(ConfigLayer::disableExec, defaults.disableExec()),
                pick(ConfigLayer::maxConcurrentSessions, defaults.maxConcurrentSessions()),
                pick(ConfigLayer::handshakeTimeout, defaults.handshakeTimeout()));
    }

    private <T> T pick(Function<ConfigLayer, T> key, T fallback) {
        T fromProject = key.apply(project);
        if (fromProject != null) {
            return fromProject;
        }
        T fromGlobal = key.apply(global);
        return fromGlobal != null ? fromGlobal : fallback;
    }
}
