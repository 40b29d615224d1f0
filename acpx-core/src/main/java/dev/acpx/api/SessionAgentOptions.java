package dev.acpx.api;

import java.util.List;

/**
 * What a new ACP session is asked for beyond its cwd (SPEC-P2 §8): the model, the tools it may
 * use, its turn limit and its system prompt. They travel in {@code session/new} {@code _meta} as
 * the Node acpx 0.19.1 sends them ({@code claudeCode.options} and {@code systemPrompt}, to every
 * agent), are kept in the session record ({@code acpx.session_options}) and are sent again when a
 * reconnect has to fall back to a new session. Null members are not sent.
 *
 * @param model              a model id, or null
 * @param allowedTools       tool names (an empty list is sent as such), or null
 * @param maxTurns           a positive turn limit, or null
 * @param systemPrompt       replaces the agent's system prompt, or null
 * @param appendSystemPrompt appended to the agent's system prompt, or null (only one of the two)
 */
public record SessionAgentOptions(String model, List<String> allowedTools, Integer maxTurns, String systemPrompt,
                                  String appendSystemPrompt) {
    /** Nothing asked: {@code session/new} carries no {@code _meta}. */
    public static final SessionAgentOptions NONE = new SessionAgentOptions(null, null, null, null, null);

    public SessionAgentOptions {
        model = blankToNull(model);
        if (allowedTools != null) {
            for (String tool : allowedTools) {
                if (tool == null || tool.isBlank()) {
                    throw AcpxException.usage("Allowed tools must be a comma-separated list without empty entries");
                }
            }
            allowedTools = List.copyOf(allowedTools);
        }
        if (maxTurns != null && maxTurns <= 0) {
            throw AcpxException.usage("Max turns must be a positive integer");
        }
        if (systemPrompt != null && systemPrompt.isBlank()) {
            throw AcpxException.usage("System prompt must not be empty");
        }
        if (appendSystemPrompt != null && appendSystemPrompt.isBlank()) {
            throw AcpxException.usage("Append system prompt must not be empty");
        }
        if (systemPrompt != null && appendSystemPrompt != null) {
            throw AcpxException.usage("Use only one of --system-prompt or --append-system-prompt");
        }
    }

    /** True when nothing is set. */
    public boolean isEmpty() {
        return model == null && allowedTools == null && maxTurns == null && systemPrompt == null
                && appendSystemPrompt == null;
    }

    /** These options with {@code model} (null keeps none). */
    public SessionAgentOptions withModel(String model) {
        return new SessionAgentOptions(model, allowedTools, maxTurns, systemPrompt, appendSystemPrompt);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
