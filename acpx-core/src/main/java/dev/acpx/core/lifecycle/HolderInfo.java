package dev.acpx.core.lifecycle;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds a concurrency slot: the session, a human description (agent command and cwd), the
 * holding process and since when. Written beside the slot lock so that a full pool can name names.
 *
 * @param sessionId        acpx record id of the session (or another stable id the host chose)
 * @param description      e.g. {@code "node agent.mjs in /x"}
 * @param pid              the process that holds the slot lock
 * @param processStartedAt that process's start instant ({@link ProcessIdentity}), null if unknown
 * @param since            when the slot was taken
 */
public record HolderInfo(String sessionId, String description, long pid, Instant processStartedAt, Instant since) {

    public HolderInfo {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(since, "since");
    }

    /** A holder in this process, stamped with this process's identity. */
    public static HolderInfo ofCurrentProcess(String sessionId, String description, Instant since) {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElse(null);
        return new HolderInfo(sessionId, description, self.pid(), started, since);
    }

    /** "id (description, pid N)" as used in error messages. */
    public String label() {
        return sessionId + " (" + description + ", pid " + pid + ")";
    }
}
