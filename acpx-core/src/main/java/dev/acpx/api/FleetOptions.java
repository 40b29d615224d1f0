package dev.acpx.api;

import java.util.Objects;

/**
 * A fleet-wide limit of live sessions shared by every acpx host that points at one PostgreSQL
 * database (issue 17, docs/FLEET.md). Every holder of a live session also holds one of
 * {@code maxConcurrentSessions} fleet slots; the host-wide limit still applies on each host.
 *
 * @param jdbcUrl               e.g. {@code jdbc:postgresql://db:5432/acpx?user=acpx}; the password in
 *                              the URL or the standard {@code PGPASSWORD}
 * @param maxConcurrentSessions live sessions allowed across the fleet (every host must agree on it)
 * @param hostName              how this host is named in the fleet's session table, or null for the
 *                              kernel's host name
 */
public record FleetOptions(String jdbcUrl, int maxConcurrentSessions, String hostName) {
    public FleetOptions {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw AcpxException.usage("fleet jdbcUrl must start with jdbc:postgresql:, got " + redacted(jdbcUrl));
        }
        if (maxConcurrentSessions < 1) {
            throw AcpxException.usage("fleet maxConcurrentSessions must be at least 1, got " + maxConcurrentSessions);
        }
        if (hostName != null && hostName.isBlank()) {
            hostName = null;
        }
    }

    /** The URL without its query (which may hold a password), for messages. */
    public static String redacted(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }

    @Override
    public String toString() {
        return "FleetOptions[jdbcUrl=" + redacted(jdbcUrl) + ", maxConcurrentSessions=" + maxConcurrentSessions
                + ", hostName=" + hostName + "]";
    }
}
