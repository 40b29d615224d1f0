package dev.acpx.api;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * The merged configuration in effect for one working directory (defaults, then
 * {@code ~/.acpx/config.json}, then {@code .acpxrc.json}); command-line flags go on top of it.
 *
 * @param ttlSeconds the queue owner's idle time, whole milliseconds (0 = forever)
 * @param timeoutSeconds null when turns have no time limit
 * @param maxConcurrentSessions null when the host has no limit
 */
public record Settings(String defaultAgent, String defaultPermissions, String nonInteractivePermissions,
                       String authPolicy, BigDecimal ttlSeconds, BigDecimal timeoutSeconds, String format,
                       int queueMaxDepth, Integer maxConcurrentSessions, List<Path> files) {
    public Settings {
        files = List.copyOf(files);
    }
}
