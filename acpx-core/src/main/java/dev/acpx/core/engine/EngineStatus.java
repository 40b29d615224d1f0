package dev.acpx.core.engine;

import java.time.Instant;

/**
 * A {@link SessionEngine}'s state, measured now.
 *
 * @param startedAt        when the engine started
 * @param state            starting (host not open yet), idle, running or closing
 * @param runningRequestId the running turn's request id, or null
 * @param queueDepth       turns waiting behind the running one
 * @param turnsCompleted   turns finished since the engine started
 * @param idleSince        when the last turn (or control request) ended while idle, else null
 * @param host             the host's view, or null while it is still opening (or closed)
 */
public record EngineStatus(Instant startedAt, String state, String runningRequestId, int queueDepth,
                           long turnsCompleted, Instant idleSince, HostStatus host) {}
