package dev.acpx.api;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What an {@link AcpxRuntime.Builder} collected: the settings an {@link AcpxRuntimeProvider}
 * builds a runtime from. Every value has a default taken from this process.
 *
 * @param demoAgentArgv         how to start the built-in demo agent, or null for the implementation's default
 * @param maxConcurrentSessions the host-wide limit over the config's, or null
 * @param handshakeTimeout      the agents' start limit over the config's, or null
 * @param fleet                 the fleet-wide limit over the config's {@code fleet}, or null
 */
public record RuntimeOptions(Path userHome, Map<String, String> environment, Clock clock, List<String> demoAgentArgv,
                             Integer maxConcurrentSessions, Duration slotWait, Duration handshakeTimeout,
                             boolean shutdownHook, Consumer<String> warnings, String mcpConfig,
                             FleetOptions fleet) {
    public RuntimeOptions {
        Objects.requireNonNull(userHome, "userHome");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(clock, "clock");
        demoAgentArgv = demoAgentArgv == null ? null : List.copyOf(demoAgentArgv);
        Objects.requireNonNull(slotWait, "slotWait");
        Objects.requireNonNull(warnings, "warnings");
    }
}
