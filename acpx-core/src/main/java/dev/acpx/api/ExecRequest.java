package dev.acpx.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One one-shot turn: start the agent, open a session in {@code cwd}, send {@code prompt},
 * and end everything (record closed, process tree gone) whatever happens.
 *
 * @param timeout null for no limit
 * @param model a model to select before the prompt, or null
 * @param failWhenAuthMissing the {@code --auth-policy fail} behaviour
 * @param access the client capabilities offered to the agent (null = all)
 */
public record ExecRequest(AgentRef agent, Path cwd, String prompt, PermissionPolicy permissions,
                          Duration timeout, String model, boolean failWhenAuthMissing, ClientAccess access) {
    public ExecRequest(AgentRef agent, Path cwd, String prompt, PermissionPolicy permissions, Duration timeout,
                       String model, boolean failWhenAuthMissing) {
        this(agent, cwd, prompt, permissions, timeout, model, failWhenAuthMissing, ClientAccess.FULL);
    }

    public ExecRequest {
        access = access == null ? ClientAccess.FULL : access;
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(permissions, "permissions");
        TimeLimits.require("the turn timeout", timeout, false);
        if (prompt == null || prompt.isBlank()) {
            throw AcpxException.usage("the prompt is empty; pass text, --file PATH, or pipe it on stdin");
        }
    }
}
