package dev.acpx.api;

import java.util.List;

/** A permission request from the agent, as a policy sees it. */
public record PermissionRequest(String sessionId, String toolCallId, String title, String kind,
                                List<PermissionOption> options) {
    public PermissionRequest {
        options = List.copyOf(options);
    }

    /** Reads and searches: the kinds {@code approve-reads} allows without asking. */
    public boolean isReadLike() {
        return "read".equals(kind) || "search".equals(kind);
    }
}
