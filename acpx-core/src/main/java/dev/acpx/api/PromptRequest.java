package dev.acpx.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A prompt to a persistent session, through its queue owner.
 *
 * @param sessionName null for the default session of the scope
 * @param permissions how the owner decides this turn's permissions
 * @param asker       asks the caller's person the turn's questions (the owner sends them over its
 *                    socket); null when the caller has no terminal, and then the non-interactive
 *                    setting applies
 * @param access      the client capabilities offered; fixed when the session's owner starts, so a
 *                    prompt to a running owner cannot change them
 * @param timeout     the turn's time limit, or null
 * @param noWait      return once the owner has queued the turn (nobody is asked anything then)
 * @param ttl         how long the owner stays up idle after its last turn (zero = forever)
 * @param promptRetries how often the owner sends a transiently failed prompt again (SPEC-P2 §8)
 */
public record PromptRequest(AgentRef agent, Path cwd, String sessionName, String prompt,
                            PermissionSettings permissions, PermissionPolicies.Prompter asker, ClientAccess access,
                            Duration timeout, boolean noWait, Duration ttl, int promptRetries) {
    public PromptRequest(AgentRef agent, Path cwd, String sessionName, String prompt,
                         PermissionSettings permissions, PermissionPolicies.Prompter asker, ClientAccess access,
                         Duration timeout, boolean noWait, Duration ttl) {
        this(agent, cwd, sessionName, prompt, permissions, asker, access, timeout, noWait, ttl, 0);
    }

    public PromptRequest {
        if (promptRetries < 0) {
            throw AcpxException.usage("Prompt retries must be a non-negative integer");
        }
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(ttl, "ttl");
        TimeLimits.require("the turn timeout", timeout, false);
        TimeLimits.require("the owner ttl", ttl, true);
        access = access == null ? ClientAccess.FULL : access;
        if (prompt == null || prompt.isBlank()) {
            throw AcpxException.usage("the prompt is empty; pass text, --file PATH, or pipe it on stdin");
        }
    }
}
