package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.HistoryItem;
import dev.acpx.api.SessionInfo;
import dev.acpx.api.StatusInfo;
import dev.acpx.api.TurnResult;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * How local commands print: one JSON document in json mode (each record as stored plus its
 * measured {@code state}), aligned lines in text mode, the bare essentials in quiet mode.
 */
final class LocalOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LocalOutput() {}

    static boolean json(Context ctx, GlobalOptions g) {
        return "json".equals(ctx.format(g));
    }

    static boolean quiet(Context ctx, GlobalOptions g) {
        return "quiet".equals(ctx.format(g));
    }

    static ObjectNode record(SessionInfo s) {
        try {
            ObjectNode node = (ObjectNode) MAPPER.readTree(s.json());
            node.put("state", s.state());
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sessions(Context ctx, GlobalOptions g, List<SessionInfo> sessions) {
        if (json(ctx, g)) {
            ArrayNode array = MAPPER.createArrayNode();
            sessions.forEach(s -> array.add(record(s)));
            ctx.out.println(array.toPrettyString());
            return;
        }
        if (sessions.isEmpty() && !quiet(ctx, g)) {
            ctx.err.println("no sessions");
        }
        for (SessionInfo s : sessions) {
            if (quiet(ctx, g)) {
                ctx.out.println(s.recordId());
            } else {
                ctx.out.println(s.recordId() + "\t" + (s.name() == null ? "-" : s.name()) + "\t" + s.state()
                        + "\t" + s.cwd() + "\t" + time(s.lastUsedAt()) + reasonSuffix(s));
            }
        }
    }

    private static String reasonSuffix(SessionInfo s) {
        String reason = s.closed() ? s.closedReason() : s.running() ? null : s.lastAgentDisconnectReason();
        return reason == null ? "" : "\t(" + reason + ")";
    }

    static void session(Context ctx, GlobalOptions g, SessionInfo s) {
        if (json(ctx, g)) {
            ctx.out.println(record(s).toPrettyString());
        } else if (quiet(ctx, g)) {
            ctx.out.println(s.recordId());
        } else {
            ObjectNode node = record(s);
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode()) {
                    ctx.out.println(e.getKey() + ": " + (e.getValue().isNull() ? "-" : e.getValue().asText()));
                }
            });
        }
    }

    static void status(Context ctx, GlobalOptions g, StatusInfo st) {
        SessionInfo s = st.session();
        if (json(ctx, g)) {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("sessionId", s.recordId());
            node.put("acpSessionId", s.acpSessionId());
            node.put("agentCommand", s.agentCommand());
            node.put("cwd", s.cwd());
            node.put("state", s.state());
            node.put("status", s.state());
            node.put("ownerState", st.ownerState());
            putLong(node, "queueDepth", st.queueDepth() == null ? null : st.queueDepth().longValue());
            putLong(node, "pid", st.agentPid() != null ? st.agentPid() : s.pid());
            putLong(node, "ownerPid", s.ownerPid());
            putLong(node, "exitCode", s.lastAgentExitCode() == null ? null : s.lastAgentExitCode().longValue());
            node.put("signal", s.lastAgentExitSignal());
            node.put("lastAgentExitAt", time(s.lastAgentExitAt()));
            node.put("lastAgentDisconnectReason", s.lastAgentDisconnectReason());
            node.put("lastPromptAt", time(s.lastPromptAt()));
            ctx.out.println(node.toPrettyString());
            return;
        }
        if (quiet(ctx, g)) {
            ctx.out.println(s.state());
            return;
        }
        ctx.out.println("session: " + s.recordId());
        ctx.out.println("agent: " + s.agentCommand());
        ctx.out.println("cwd: " + s.cwd());
        ctx.out.println("status: " + s.state() + (st.ownerState() == null ? "" : " (owner " + st.ownerState()
                + ", " + st.queueDepth() + " queued)"));
        ctx.out.println("pid: " + dash(st.agentPid() != null ? st.agentPid() : s.pid()));
        ctx.out.println("exitCode: " + dash(s.lastAgentExitCode()));
        ctx.out.println("signal: " + dash(s.lastAgentExitSignal()));
        ctx.out.println("lastAgentExitAt: " + dash(time(s.lastAgentExitAt())));
        ctx.out.println("reason: " + dash(s.lastAgentDisconnectReason()));
        ctx.out.println("lastPromptAt: " + dash(time(s.lastPromptAt())));
    }

    static void history(Context ctx, GlobalOptions g, List<HistoryItem> items) {
        if (json(ctx, g)) {
            ArrayNode array = MAPPER.createArrayNode();
            for (HistoryItem h : items) {
                array.addObject().put("role", h.role()).put("timestamp", time(h.timestamp())).put("text", h.text());
            }
            ctx.out.println(array.toPrettyString());
            return;
        }
        for (HistoryItem h : items) {
            ctx.out.println((h.timestamp() == null ? "" : time(h.timestamp()) + " ") + h.role() + ": "
                    + h.text().replace("\n", "\n  "));
        }
    }

    static void queued(Context ctx, GlobalOptions g, TurnResult result) {
        if (json(ctx, g)) {
            ObjectNode node = MAPPER.createObjectNode().put("queued", true).put("sessionId", result.recordId());
            ctx.out.println(node.toString());
        } else if (!quiet(ctx, g)) {
            ctx.err.println("[acpx] queued for session " + result.recordId());
        }
    }

    static void message(Context ctx, GlobalOptions g, String text, JsonNode json) {
        if (json(ctx, g)) {
            ctx.out.println(json.toString());
        } else if (!quiet(ctx, g)) {
            ctx.out.println(text);
        }
    }

    private static void putLong(ObjectNode node, String key, Long value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String dash(Object o) {
        return o == null ? "-" : o.toString();
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
