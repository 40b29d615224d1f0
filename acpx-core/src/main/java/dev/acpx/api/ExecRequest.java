package dev.acpx.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One one-shot turn: start the agent, open a session in {@code cwd}, send {@code prompt},
 * and end everything (record closed, process tree gone) whatever happens.
 *
 * @param timeout null for no limit
 * @param model a model to select before the prompt, or null
 * @param failWhenAuthMissing the {@code --auth-policy fail} behaviour
 * @param access the client capabilities offered to the agent (null = all)
 * @param agentOptions what {@code session/new} asks for in {@code _meta} (SPEC-P2 §8); its model, when
 *                     set, is also selected before the prompt like {@code model}
 * @param configOptions set in order after the model and before the prompt
 * @param promptRetries how often a transiently failed prompt is sent again (0 = never)
 */
public record ExecRequest(AgentRef agent, Path cwd, String prompt, PermissionPolicy permissions,
                          Duration timeout, String model, boolean failWhenAuthMissing, ClientAccess access,
                          SessionAgentOptions agentOptions, List<ConfigOptionAssignment> configOptions,
                          int promptRetries) {
    public ExecRequest(AgentRef agent, Path cwd, String prompt, PermissionPolicy permissions, Duration timeout,
                       String model, boolean failWhenAuthMissing) {
        this(agent, cwd, prompt, permissions, timeout, model, failWhenAuthMissing, ClientAccess.FULL);
    }

    public ExecRequest(AgentRef agent, Path cwd, String prompt, PermissionPolicy permissions, Duration timeout,
                       String model, boolean failWhenAuthMissing, ClientAccess access) {
        this(agent, cwd, prompt, permissions, timeout, model, failWhenAuthMissing, access, null, null, 0);
    }

    public ExecRequest {
        access = access == null ? ClientAccess.FULL : access;
        agentOptions = agentOptions == null ? SessionAgentOptions.NONE : agentOptions;
        if (model == null) {
            model = agentOptions.model();
        } else if (agentOptions.model() == null) {
            agentOptions = agentOptions.withModel(model);
        }
        configOptions = configOptions == null ? List.of() : List.copyOf(configOptions);
        if (promptRetries < 0) {
            throw AcpxException.usage("Prompt retries must be a non-negative integer");
        }
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(permissions, "permissions");
        TimeLimits.require("the turn timeout", timeout, false);
        if (prompt == null || prompt.isBlank()) {
            throw AcpxException.usage("the prompt is empty; pass text, --file PATH, or pipe it on stdin");
        }
    }
}
