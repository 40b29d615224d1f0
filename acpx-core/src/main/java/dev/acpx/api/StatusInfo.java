package dev.acpx.api;

/**
 * {@code status}: the session's record with its measured state, and, when its queue owner
 * answers, what the owner reports right now.
 *
 * @param ownerState starting, idle, running or closing; null when no owner runs
 * @param queueDepth turns waiting behind the running one; null when no owner runs
 * @param agentPid the live agent's pid; null when none runs
 */
public record StatusInfo(SessionInfo session, String ownerState, Integer queueDepth, Long agentPid) {}
