package dev.acpx.api;

import java.time.Instant;

/**
 * One session record with its measured state: {@code running} only while its owner or agent
 * process is alive (pid plus start time), {@code idle} when open with nothing alive,
 * {@code closed} once closed (SPEC §9.2, §9.6).
 *
 * @param json the record exactly as stored (snake_case, {@code acpx.session.v1})
 */
public record SessionInfo(String recordId, String acpSessionId, String agentCommand, String cwd, String name,
                          String state, boolean closed, Instant closedAt, String closedReason, Instant createdAt,
                          Instant lastUsedAt, Instant lastPromptAt, Long pid, Long ownerPid,
                          Integer lastAgentExitCode, String lastAgentExitSignal, Instant lastAgentExitAt,
                          String lastAgentDisconnectReason, String lifecycle, String modeId, String json) {

    public boolean running() {
        return "running".equals(state);
    }
}
