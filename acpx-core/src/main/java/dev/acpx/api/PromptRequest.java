package dev.acpx.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A prompt to a persistent session, through its queue owner.
 *
 * @param sessionName null for the default session of the scope
 * @param permissionMode approve-all, approve-reads or deny-all (the owner has no terminal to ask on)
 * @param failWhenNonInteractive approve-reads fails instead of denying when it would have to ask
 * @param timeout the turn's time limit, or null
 * @param noWait return once the owner has queued the turn
 * @param ttl how long the owner stays up idle after its last turn (zero = forever)
 */
public record PromptRequest(AgentRef agent, Path cwd, String sessionName, String prompt, String permissionMode,
                            boolean failWhenNonInteractive, Duration timeout, boolean noWait, Duration ttl) {
    public PromptRequest {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(permissionMode, "permissionMode");
        Objects.requireNonNull(ttl, "ttl");
        TimeLimits.require("the turn timeout", timeout, false);
        TimeLimits.require("the owner ttl", ttl, true);
        if (prompt == null || prompt.isBlank()) {
            throw AcpxException.usage("the prompt is empty; pass text, --file PATH, or pipe it on stdin");
        }
    }
}
