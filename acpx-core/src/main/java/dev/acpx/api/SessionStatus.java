package dev.acpx.api;

/**
 * A session handle's state, measured when asked: {@code running} while its agent process is
 * alive, {@code idle} while open with no agent (not started yet, or gone: the next prompt starts
 * one), {@code closed} once the handle closed.
 *
 * @param agentPid the live agent's pid, null when none runs
 * @param turnRunning a turn is in progress now
 * @param queued turns waiting behind the running one
 * @param lastAgentExit how the last agent process ended ("code 0", "signal KILL"), or null
 * @param closedReason why the handle closed, null while open
 */
public record SessionStatus(String recordId, String acpSessionId, SessionMode mode, String state, Long agentPid,
                            boolean turnRunning, int queued, int turnsCompleted, String modeId,
                            String lastAgentExit, String closedReason) {

    public boolean running() {
        return "running".equals(state);
    }

    public boolean closed() {
        return "closed".equals(state);
    }
}
