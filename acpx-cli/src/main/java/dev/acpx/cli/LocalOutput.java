package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.SessionInfo;
import dev.acpx.api.SessionOpened;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How local commands print: what the Node acpx 0.19.1 prints, line for line and key for key
 * (its {@code cli/output/render.ts} and {@code cli/command-handlers.ts}), so a script written for
 * it runs unchanged. What only we know (measured state, real exit codes, reasons) rides in extra
 * JSON keys after its keys. Values come from the stored record as written, never reformatted.
 */
final class LocalOutput {
    private final Context ctx;
    private final String format;
    private final ObjectMapper mapper;

    LocalOutput(Context ctx, GlobalOptions g) {
        this.ctx = ctx;
        this.format = ctx.format(g);
        this.mapper = ctx.mapper();
    }

    boolean json() {
        return "json".equals(format);
    }

    boolean quiet() {
        return "quiet".equals(format);
    }

    java.io.PrintStream stdout() {
        return ctx.out;
    }

    java.io.PrintStream stderr() {
        return ctx.err;
    }

    /** One compact JSON line, as {@code JSON.stringify} writes it. */
    void emit(JsonNode node) {
        ctx.out.println(node.toString());
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    JsonNode disk(SessionInfo s) {
        return readTree(s.json());
    }

    JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode record(SessionInfo s) {
        return NodeRecordView.of(mapper, disk(s), ctx.userHome().resolve(".acpx/sessions").toString(), s.state());
    }

    /** {@code sessions list --local} (and the fallback of an agent without session/list). */
    void sessions(List<SessionInfo> sessions) {
        if (json()) {
            ArrayNode array = mapper.createArrayNode();
            sessions.forEach(s -> array.add(record(s)));
            emit(array);
            return;
        }
        if (sessions.isEmpty() && !quiet()) {
            ctx.out.println("No sessions");
            return;
        }
        for (SessionInfo s : sessions) {
            String id = s.recordId() + (s.closed() ? " [closed]" : "");
            if (quiet()) {
                ctx.out.println(id);
            } else {
                ctx.out.println(id + "\t" + (s.name() == null ? "-" : s.name()) + "\t" + s.cwd() + "\t"
                        + text(disk(s), "last_used_at"));
            }
        }
    }

    /** The banner of a session just created, on stderr (not in quiet or json-strict mode). */
    void createdBanner(SessionInfo s, String agentLabel, boolean jsonStrict) {
        if (quiet() || (json() && jsonStrict)) {
            return;
        }
        ctx.err.println("[acpx] created session " + (s.name() == null ? "cwd" : s.name()) + " (" + s.recordId() + ")");
        ctx.err.println("[acpx] agent: " + agentLabel);
        ctx.err.println("[acpx] cwd: " + s.cwd());
    }

    void newSession(SessionOpened opened) {
        SessionInfo s = opened.session();
        if (json()) {
            ObjectNode node = ensured(s, true);
            putIfPresent(node, "replacedSessionId", opened.replacedRecordId());
            emit(node);
        } else if (quiet() || opened.replacedRecordId() == null) {
            ctx.out.println(s.recordId());
        } else {
            ctx.out.println(s.recordId() + "\t(replaced " + opened.replacedRecordId() + ")");
        }
    }

    void ensuredSession(SessionOpened opened) {
        SessionInfo s = opened.session();
        if (json()) {
            emit(ensured(s, opened.created()));
        } else if (quiet()) {
            ctx.out.println(s.recordId());
        } else {
            ctx.out.println(s.recordId() + "\t(" + (opened.created() ? "created" : "existing") + ")");
        }
    }

    private ObjectNode ensured(SessionInfo s, boolean created) {
        ObjectNode node = object().put("action", "session_ensured").put("created", created);
        ids(node, s);
        putIfPresent(node, "name", s.name());
        return node;
    }

    /** {@code acpxRecordId}, {@code acpxSessionId}, and {@code agentSessionId} when the agent gave one. */
    void ids(ObjectNode node, SessionInfo s) {
        node.put("acpxRecordId", s.recordId());
        node.put("acpxSessionId", s.acpSessionId());
        putIfPresent(node, "agentSessionId", text(disk(s), "agent_session_id"));
    }

    void closed(SessionInfo s) {
        if (json()) {
            ObjectNode node = object().put("action", "session_closed");
            ids(node, s);
            emit(node);
        } else if (!quiet()) {
            ctx.out.println(s.recordId());
        }
    }

    /**
     * {@code set-mode}, {@code set model} and {@code set KEY VALUE}: json {@code node} (its action
     * and ids already in place), else the quiet value or the text line.
     */
    void setResult(ObjectNode node, String quietValue, String text) {
        if (json()) {
            emit(node);
        } else {
            ctx.out.println(quiet() ? quietValue : text);
        }
    }

    void cancel(String recordId, boolean cancelled) {
        if (json()) {
            emit(object().put("action", "cancel_result").put("acpxRecordId", recordId == null ? "unknown" : recordId)
                    .put("cancelled", cancelled));
        } else {
            ctx.out.println(cancelled ? "cancel requested" : "nothing to cancel");
        }
    }

    /** {@code prompt --no-wait}: the turn was queued under the owner's request id, as the Node acpx prints it. */
    void queued(dev.acpx.api.TurnResult result) {
        if (json()) {
            emit(object().put("action", "prompt_queued").put("acpxRecordId", result.recordId())
                    .put("requestId", result.requestId()));
        } else if (!quiet()) {
            ctx.out.println("[queued] " + result.requestId());
        }
    }

    static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String dash(Object o) {
        return o == null ? "-" : o.toString();
    }

    static void putIfPresent(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
