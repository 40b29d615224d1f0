package dev.acpx.core.config;

import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionMode;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One config file, validated. A null field means the file does not set it (JSON null counts as
 * not set, as in the Node acpx), except {@code timeout}: an explicit null there means "no
 * timeout" and overrides lower layers, so {@code timeoutSet} tells the two apart.
 *
 * @param path    the file
 * @param label   the file as shown in messages ({@code ~/.acpx/config.json} under the home)
 * @param exists  whether the file was there
 */
public record ConfigLayer(
        Path path,
        String label,
        boolean exists,
        String defaultAgent,
        PermissionMode defaultPermissions,
        NonInteractivePermissions nonInteractivePermissions,
        AuthPolicy authPolicy,
        Duration ttl,
        boolean timeoutSet,
        Duration timeout,
        OutputFormat format,
        Integer queueMaxDepth,
        Map<String, AgentDefinition> agents,
        Map<String, String> auth,
        JsonNode mcpServers,
        Boolean disableExec,
        Integer maxConcurrentSessions,
        Duration handshakeTimeout) {

    public ConfigLayer {
        // File order is kept: config show lists agents as written, like the Node acpx.
        agents = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(agents));
        auth = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(auth));
        mcpServers = mcpServers == null ? null : mcpServers.deepCopy();
    }

    /** A file that does not exist: sets nothing. */
    public static ConfigLayer absent(Path path, String label) {
        return new ConfigLayer(path, label, false, null, null, null, null, null, false, null, null,
                null, Map.of(), Map.of(), null, null, null, null);
    }

    @Override
    public JsonNode mcpServers() {
        return mcpServers == null ? null : mcpServers.deepCopy();
    }

    /** Never shows credentials, only which methods have one. */
    @Override
    public String toString() {
        return "ConfigLayer[" + label + (exists ? "" : " (absent)") + ", authMethods=" + auth.keySet() + "]";
    }
}
