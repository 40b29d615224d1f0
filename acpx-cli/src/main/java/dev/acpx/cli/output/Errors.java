package dev.acpx.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentError;
import dev.acpx.api.ErrorKind;
import java.util.Optional;

/**
 * How an error reads, as the Node acpx 0.19.1 renders it: the message, its remediation hints
 * (text mode), and the JSON-RPC error object (json mode).
 */
public final class Errors {
    private Errors() {}

    /** The message as one safe line: it may quote the agent, so control characters are escaped. */
    public static String line(AcpxException error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.kind().name().toLowerCase() + " error";
        }
        // A missing session is our own two-line message (the Node acpx's, with its "Create one:" hint);
        // every other message may carry an agent's text and stays on one line.
        return error.kind() == ErrorKind.NO_SESSION ? Sanitize.lines(message) : Sanitize.line(message);
    }

    /** The --verbose detail (stack traces, agent stderr): several lines, escapes shown, not obeyed. */
    public static String detail(AcpxException error) {
        return Sanitize.lines(error.detail());
    }

    /**
     * The Node acpx's hint lines for this error (its {@code getTextErrorRemediationHints}); several
     * lines are joined by newlines. Empty when it prints none.
     */
    public static Optional<String> hint(AcpxException error) {
        String lower = line(error).toLowerCase();
        return Optional.ofNullable(switch (error.kind()) {
            case TIMEOUT -> "hint: increase `--timeout <seconds>` for long-running prompts, or check whether the"
                    + " agent/provider is stalled.";
            case NO_SESSION -> lower.contains("create one:") ? null
                    : "hint: the saved ACP session is missing or stale; start a fresh session with"
                    + " `acpx <agent> sessions new`, then retry.";
            default -> byMessage(line(error), lower);
        });
    }

    /**
     * The hint lines the Node acpx's text format prints under an {@code [error] RUNTIME:} line it took
     * from an ACP error answer during a turn (origin {@code acp}): the message rules, else the
     * protocol-error hint when the message says "internal error". Null when it prints none.
     */
    public static String acpAnswerHint(String message) {
        String lower = message.toLowerCase();
        String hint = byMessage(message, lower);
        if (hint == null && lower.contains("internal error")) {
            hint = "hint: rerun with `--verbose` to capture the underlying ACP error details.";
        }
        return hint;
    }

    private static String byMessage(String message, String lower) {
        if (lower.contains("does not support session/resume") || lower.contains("does not support session/load")) {
            return "hint: this adapter cannot resume saved ACP sessions; create a fresh one with `acpx <agent>"
                    + " sessions new` instead of reusing `--resume-session`.";
        }
        if (lower.contains("failed to resume acp session") || lower.contains("session/resume")
                || lower.contains("session/load")) {
            return "hint: rerun with `--verbose` to capture the ACP load failure details.\nhint: if you do not need"
                    + " the old backend session, start a fresh one with `acpx <agent> sessions new` and retry.";
        }
        if (message.matches("(?s).*\\b429\\b.*") || lower.contains("rate limit") || lower.contains("quota exceeded")) {
            return "hint: the provider appears rate-limited; retry later, switch model, or check provider quota/billing.";
        }
        if (lower.contains("model not found") || lower.contains("unknown model") || lower.contains("invalid model")) {
            return "hint: check the configured model name for this agent, then retry with `--model <model>` or"
                    + " `sessions set-model <model>`.";
        }
        if (lower.contains("session/set_mode") || lower.contains("session/set_model")
                || lower.contains("session/set_config_option")) {
            return "hint: rerun with `--verbose` to capture the ACP method/error details before retrying.";
        }
        return null;
    }

    /**
     * The Node acpx's {@code detailCode} for the errors where it prints one and ours has the same
     * cause, or null: an agent gone during a request is {@code AGENT_DISCONNECTED} (origin {@code acp}).
     * Read from our own message, which names how the agent went.
     */
    public static String detailCode(AcpxException error) {
        // The session journal's and archives' errors name their case (WATCH_CURSOR_INVALID, ...) as the Node acpx does.
        String journal = journalCode(error);
        if (journal != null) {
            return journal;
        }
        String m = error.getMessage();
        if (error.kind() == ErrorKind.RUNTIME && m != null && (m.startsWith("the agent exited ")
                || m.startsWith("the agent closed its output ") || m.startsWith("the agent connection was ended by acpx "))) {
            return "AGENT_DISCONNECTED";
        }
        return null;
    }

    /** Where the error came from, as {@code data.origin}: {@code acp} for the agent's side, else {@code cli}. */
    static String origin(AcpxException error) {
        String detail = detailCode(error);
        return "AGENT_DISCONNECTED".equals(detail) ? "acp" : detail != null && detail.startsWith("WATCH_") ? "runtime" : "cli";
    }

    /** The Node acpx's name for each kind, carried as {@code data.acpxCode} in json errors. */
    public static String code(ErrorKind kind) {
        return kind.name();
    }

    /** The message quiet mode prints: the agent's {@code data.details} when it gave some. */
    public static String quietMessage(AcpxException error, ObjectMapper mapper) {
        JsonNode data = agentData(error, mapper);
        if (data != null && data.path("details").isTextual() && !data.get("details").asText().isBlank()) {
            return data.get("details").asText().trim();
        }
        return line(error);
    }

    /**
     * The json-mode error line: acpx's code and message, or the agent's when an agent error caused
     * it (its {@code data} merged over acpx's), as in the Node acpx's {@code buildJsonRpcErrorResponse}.
     */
    public static ObjectNode jsonRpc(AcpxException error, String sessionId, ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("jsonrpc", "2.0");
        root.putNull("id");
        ObjectNode body = root.putObject("error");
        ObjectNode data = mapper.createObjectNode();
        data.put("acpxCode", code(error.kind()));
        String detailCode = detailCode(error);
        if (detailCode != null) {
            data.put("detailCode", detailCode);
        }
        data.put("origin", origin(error));
        if (detailCode != null && detailCode.startsWith("WATCH_")) {
            data.put("retryable", false);
        }
        data.put("sessionId", sessionId == null ? "unknown" : sessionId);
        AgentError agent = error.agentError();
        if (agent != null && agent.message() != null && !agent.message().isBlank()) {
            body.put("code", agent.code());
            body.put("message", Sanitize.line(agent.message())); // agent text: one line, no control characters
            JsonNode agentData = agentData(error, mapper);
            if (agentData instanceof ObjectNode o) {
                data.setAll(o);
                body.set("data", data);
            } else if (agentData != null) {
                body.set("data", agentData);
            } else {
                body.set("data", data);
            }
            return root;
        }
        body.put("code", error.kind().jsonRpcCode());
        body.put("message", line(error));
        body.set("data", data);
        return root;
    }

    private static JsonNode agentData(AcpxException error, ObjectMapper mapper) {
        AgentError agent = error.agentError();
        if (agent == null || agent.dataJson() == null) {
            return null;
        }
        try {
            return mapper.readTree(agent.dataJson());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static final java.util.Set<String> ARCHIVE_CODES = java.util.Set.of("not-found", "session-locked",
            "ambiguous-session", "invalid-archive", "unsupported-format-version", "agent-mismatch",
            "session-scope-exists", "session-provider-exists");

    /** The Node acpx's detail code of a journal or archive error (the runtime keeps it as the detail), or null. */
    private static String journalCode(AcpxException e) {
        String d = e.detail();
        return d != null && (d.startsWith("WATCH_") && d.matches("WATCH_[A-Z_]+") || ARCHIVE_CODES.contains(d)) ? d : null;
    }
}
