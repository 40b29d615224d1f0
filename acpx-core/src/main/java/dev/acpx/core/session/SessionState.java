package dev.acpx.core.session;

import dev.acpx.core.lifecycle.ProcessIdentity;
import java.time.Instant;

/**
 * A session's measured state (SPEC §9.2, §9.6): {@code running} only while its owner or agent
 * process is alive, whatever the record's flags say.
 */
public enum SessionState {
    RUNNING,
    IDLE,
    CLOSED;

    /** The json spelling: "running", "idle", "closed". */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Closed if the record says so; otherwise running iff a recorded process is alive now. */
    public static SessionState measure(SessionRecord record) {
        if (record.closed()) {
            return CLOSED;
        }
        return ownerAlive(record) || agentAlive(record) ? RUNNING : IDLE;
    }

    static boolean ownerAlive(SessionRecord r) {
        return alive(r.ownerPid(), r.ownerStartedAt());
    }

    /**
     * Our records carry the agent's OS start instant; Node-written ones only {@code agent_started_at},
     * the spawner's clock at spawn, which is within milliseconds of it and so serves the same check.
     */
    static boolean agentAlive(SessionRecord r) {
        Instant started = r.agentPidStartedAt() != null ? r.agentPidStartedAt() : r.agentStartedAt();
        return alive(r.pid(), started);
    }

    private static boolean alive(Long pid, Instant startedAt) {
        if (pid == null || pid <= 0) {
            return false;
        }
        if (startedAt == null) {
            // A bare pid cannot be checked for reuse; existence (not as a zombie) is the best evidence there is.
            return ProcessIdentity.of(pid).map(ProcessIdentity::isAlive).orElse(false);
        }
        return new ProcessIdentity(pid, startedAt).isAlive();
    }
}
