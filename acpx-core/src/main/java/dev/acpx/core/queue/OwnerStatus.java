package dev.acpx.core.queue;

import dev.acpx.core.engine.HostStatus;
import java.time.Instant;

/**
 * The queue owner's answer to {@code status}: its own process, its queue, and its host's session.
 *
 * @param recordId          the acpx record id the owner serves
 * @param ownerPid          the owner process
 * @param ownerStartedAt    when the owner started serving
 * @param state             starting (host not open yet), idle, running or closing
 * @param runningRequestId  the request id of the running turn, or null
 * @param queueDepth        turns waiting behind the running one
 * @param turnsCompleted    turns finished since the owner started
 * @param idleSince         when the last turn ended (or the owner started) while idle, else null
 * @param ttlMillis         idle time after which the owner exits; 0 = never
 * @param host              the host's view, or null while it is still starting
 */
public record OwnerStatus(String recordId, long ownerPid, Instant ownerStartedAt, String state,
                          String runningRequestId, int queueDepth, long turnsCompleted, Instant idleSince,
                          long ttlMillis, HostStatus host) {}
