package dev.acpx.core.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.SessionAgentOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SessionAgentOptions} in their two JSON forms, both as the Node acpx 0.19.1 writes them
 * (src/acp/agent-command.ts buildClaudeCodeOptionsMeta, src/runtime/engine/session-options.ts):
 * the {@code session/new} {@code _meta} and the record's {@code acpx.session_options}.
 */
public final class SessionMeta {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** What claude-agent-acp is told to read when acpx starts it (user settings stay out by default). */
    private static final List<String> CLAUDE_SETTING_SOURCES = List.of("project", "local");

    private SessionMeta() {}

    /**
     * The {@code _meta} of {@code session/new}, or null when there is nothing to send.
     * {@code claudeAdapter}: the agent is claude-agent-acp, which also gets {@code settingSources}.
     */
    public static ObjectNode newSessionMeta(SessionAgentOptions options, boolean claudeAdapter,
                                            boolean includeUserSettings) {
        ObjectNode claude = JSON.objectNode();
        if (claudeAdapter) {
            ArrayNode sources = claude.putArray("settingSources");
            if (includeUserSettings) {
                sources.add("user");
            }
            CLAUDE_SETTING_SOURCES.forEach(sources::add);
        }
        if (options != null) {
            if (options.model() != null) {
                claude.put("model", options.model());
            }
            if (options.allowedTools() != null) {
                ArrayNode tools = claude.putArray("allowedTools");
                options.allowedTools().forEach(tools::add);
            }
            if (options.maxTurns() != null) {
                claude.put("maxTurns", options.maxTurns());
            }
        }
        ObjectNode meta = JSON.objectNode();
        if (!claude.isEmpty()) {
            meta.putObject("claudeCode").set("options", claude);
        }
        if (options != null && options.systemPrompt() != null) {
            meta.put("systemPrompt", options.systemPrompt());
        } else if (options != null && options.appendSystemPrompt() != null) {
            meta.putObject("systemPrompt").put("append", options.appendSystemPrompt());
        }
        return meta.isEmpty() ? null : meta;
    }

    /**
     * The {@code _meta} for this agent: claude-agent-acp also gets {@code settingSources}, with
     * {@code user} only when {@code ACPX_CLAUDE_INCLUDE_USER_SETTINGS=1}.
     */
    public static ObjectNode forAgent(SessionAgentOptions options, List<String> agentArgv,
                                      java.util.Map<String, String> env) {
        String include = env.get("ACPX_CLAUDE_INCLUDE_USER_SETTINGS");
        return newSessionMeta(options, isClaudeAdapter(agentArgv), include != null && include.strip().equals("1"));
    }

    /** True for the Claude ACP adapter's command (its basename, or any argument naming it). */
    public static boolean isClaudeAdapter(List<String> argv) {
        if (argv.isEmpty()) {
            return false;
        }
        String first = argv.getFirst();
        String base = first.substring(first.lastIndexOf('/') + 1).replaceAll("\\.(cmd|exe|bat)$", "");
        if (base.equals("claude-agent-acp")) {
            return true;
        }
        return argv.stream().skip(1).anyMatch(a -> a.contains("claude-agent-acp"));
    }

    /** The record form {@code {model?, allowed_tools?, max_turns?, system_prompt?}}, or null when empty. */
    public static ObjectNode toRecord(SessionAgentOptions options) {
        if (options == null || options.isEmpty()) {
            return null;
        }
        ObjectNode stored = JSON.objectNode();
        if (options.model() != null) {
            stored.put("model", options.model());
        }
        if (options.allowedTools() != null) {
            ArrayNode tools = stored.putArray("allowed_tools");
            options.allowedTools().forEach(tools::add);
        }
        if (options.maxTurns() != null) {
            stored.put("max_turns", options.maxTurns());
        }
        if (options.systemPrompt() != null) {
            stored.put("system_prompt", options.systemPrompt());
        } else if (options.appendSystemPrompt() != null) {
            stored.putObject("system_prompt").put("append", options.appendSystemPrompt());
        }
        return stored;
    }

    /**
     * Reads {@code acpx.session_options} as the Node acpx does: a value of the wrong type is
     * skipped, not an error (the record may come from another tool).
     */
    public static SessionAgentOptions fromRecord(JsonNode stored) {
        if (stored == null || !stored.isObject()) {
            return SessionAgentOptions.NONE;
        }
        String model = nonEmpty(stored.get("model"));
        List<String> tools = null;
        JsonNode t = stored.get("allowed_tools");
        if (t != null && t.isArray()) {
            List<String> list = new ArrayList<>();
            for (JsonNode item : t) {
                if (!item.isTextual()) {
                    list = null;
                    break;
                }
                list.add(item.textValue());
            }
            tools = list;
        }
        JsonNode m = stored.get("max_turns");
        Integer maxTurns = m != null && m.canConvertToExactIntegral() && m.asInt() > 0 ? m.asInt() : null;
        JsonNode sp = stored.get("system_prompt");
        String replace = nonEmpty(sp);
        String append = sp != null && sp.isObject() ? nonEmpty(sp.get("append")) : null;
        try {
            return new SessionAgentOptions(model, tools, maxTurns, replace, replace != null ? null : append);
        } catch (RuntimeException e) {
            // an empty tool name in someone else's record: drop the tools rather than the session
            return new SessionAgentOptions(model, null, maxTurns, replace, replace != null ? null : append);
        }
    }

    private static String nonEmpty(JsonNode n) {
        return n != null && n.isTextual() && !n.textValue().isBlank() ? n.textValue() : null;
    }

    /** {@code preferred}'s members over {@code fallback}'s, as the Node acpx's mergeSessionOptions. */
    public static SessionAgentOptions merge(SessionAgentOptions preferred, SessionAgentOptions fallback) {
        boolean prompt = preferred.systemPrompt() != null || preferred.appendSystemPrompt() != null;
        return new SessionAgentOptions(
                preferred.model() != null ? preferred.model() : fallback.model(),
                preferred.allowedTools() != null ? preferred.allowedTools() : fallback.allowedTools(),
                preferred.maxTurns() != null ? preferred.maxTurns() : fallback.maxTurns(),
                prompt ? preferred.systemPrompt() : fallback.systemPrompt(),
                prompt ? preferred.appendSystemPrompt() : fallback.appendSystemPrompt());
    }
}
