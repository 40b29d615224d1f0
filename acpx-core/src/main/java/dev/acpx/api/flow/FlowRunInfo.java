package dev.acpx.api.flow;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One run in the store, as {@code acpx flow runs} lists it. {@code status} is measured: a run whose
 * process died mid-way reads {@code failed} once a reaper pass has closed its sessions.
 */
public record FlowRunInfo(String runId, String flowName, String runTitle, String flowPath, String status,
                          String currentNode, String waitingOn, String error, Instant startedAt, Instant finishedAt,
                          Path runDir) {}
