package dev.acpx.core.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Who takes a fleet slot: written into the fleet's session table so that a refusal on any host can
 * name the holders.
 *
 * @param host     the host's fleet name
 * @param pid      the holding process
 * @param recordId the acpx record id (for exec, the run's id)
 * @param agent    the agent command
 * @param cwd      the session's working directory
 */
public record FleetHolder(String host, long pid, String recordId, String agent, String cwd) {
    public FleetHolder {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(cwd, "cwd");
    }

    /** A holder in this process; {@code hostName} null means the kernel's host name. */
    public static FleetHolder ofCurrentProcess(String hostName, String recordId, String agent, String cwd) {
        return new FleetHolder(hostName != null ? hostName : kernelHostName(), ProcessHandle.current().pid(),
                recordId, agent, cwd);
    }

    // Read from /proc rather than InetAddress, which may wait on a resolver.
    private static String kernelHostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the environment's name below
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }
}
