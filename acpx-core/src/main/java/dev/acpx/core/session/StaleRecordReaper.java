package dev.acpx.core.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Closes what the Node acpx leaves open (SPEC §9.7): one-shot records whose processes are all gone
 * are closed with the reason; persistent records keep open but lose their dead pids, with the
 * disconnect reason filled in when none was recorded. Records younger than the grace period and
 * without any process recorded are left alone: their creator may not have spawned anything yet.
 */
public final class StaleRecordReaper {

    /** Reason written when a persistent session's processes vanished without a recorded reason. */
    public static final String PROCESS_GONE = "process_gone";

    private final SessionStore store;
    private final Duration grace;

    public StaleRecordReaper(SessionStore store, Duration grace) {
        this.store = store;
        this.grace = grace;
    }

    /**
     * What one pass changed, and the records it could not rewrite (a full disk, a read-only file
     * system): each failure is one line, and the pass goes on with the next record.
     */
    public record Result(List<String> closedIds, List<String> clearedIds, List<String> failures) {}

    public Result reap() {
        return reap(store.list().records());
    }

    /** One pass over records already listed (so a command that lists does not read the directory twice). */
    public Result reap(List<SessionRecord> listedRecords) {
        List<String> closed = new ArrayList<>();
        List<String> cleared = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Instant now = store.clock().instant();
        for (SessionRecord listed : listedRecords) {
            if (!isStale(listed, now)) {
                continue;
            }
            try {
                reapOne(listed.acpxRecordId(), now, closed, cleared);
            } catch (RuntimeException e) {
                // A side write of a read-only command: the listing is still right without it.
                failures.add("could not update stale session record " + listed.acpxRecordId() + ": " + e.getMessage());
            }
        }
        return new Result(closed, cleared, failures);
    }

    /**
     * Decides again under the record's lock, on the record as it is on disk then: an owner that
     * wrote its pid after the listing (or while we waited for the lock) is seen, and kept.
     */
    private void reapOne(String id, Instant now, List<String> closed, List<String> cleared) {
        String[] outcome = new String[1];
        Instant closedAt = store.clock().instant();
        store.update(id, r -> {
            if (!isStale(r, now)) {
                return false;
            }
            if (r.isOneShot()) {
                r.setClosed(true);
                r.setClosedAt(closedAt);
                r.setClosedReason("stale: one-shot process " + deadPid(r) + " is gone");
                r.clearProcesses();
                outcome[0] = "closed";
                return true;
            }
            if (r.pid() == null && r.ownerPid() == null) {
                return false;
            }
            if (r.lastAgentDisconnectReason() == null || exitPredatesAgent(r)) {
                // An exit recorded before the current agent started is an earlier agent's; this
                // one vanished unseen (its owner was SIGKILLed), so its status is unknown.
                r.setLastAgentDisconnectReason(PROCESS_GONE);
                r.setLastAgentExitCode(null);
                r.setLastAgentExitSignal(null);
            }
            r.clearProcesses();
            outcome[0] = "cleared";
            return true;
        });
        if ("closed".equals(outcome[0])) {
            closed.add(id);
        } else if ("cleared".equals(outcome[0])) {
            cleared.add(id);
        }
    }

    private boolean isStale(SessionRecord r, Instant now) {
        if (SessionState.measure(r) != SessionState.IDLE) {
            return false;
        }
        boolean anyProcessRecorded = r.pid() != null || r.ownerPid() != null;
        if (anyProcessRecorded) {
            return true;
        }
        Instant lastUse = r.lastUsedAt() != null ? r.lastUsedAt() : r.createdAt();
        return r.isOneShot() && (lastUse == null || lastUse.plus(grace).isBefore(now));
    }

    private static boolean exitPredatesAgent(SessionRecord r) {
        Instant exit = r.lastAgentExitAt();
        Instant started = r.agentStartedAt();
        return exit != null && started != null && exit.isBefore(started);
    }

    private static String deadPid(SessionRecord r) {
        Long pid = r.ownerPid() != null ? r.ownerPid() : r.pid();
        return pid == null ? "(none recorded)" : pid.toString();
    }
}
