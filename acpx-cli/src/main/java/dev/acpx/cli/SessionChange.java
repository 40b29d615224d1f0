package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AcpxException;
import dev.acpx.api.SessionInfo;

/**
 * A {@code set-mode} or {@code set} and what the Node acpx reports about it: {@code resumed} is
 * true when no warm owner took the change, so the saved session was reopened for it.
 */
final class SessionChange {
    private final Context ctx;
    private final GlobalOptions g;
    private final String name;
    private boolean resumed = true;
    private SessionInfo after;

    SessionChange(Context ctx, GlobalOptions g, String name) {
        this.ctx = ctx;
        this.g = g;
        this.name = name;
    }

    void apply(Runnable change) {
        try {
            resumed = !ctx.runtime().showSession(ctx.agent(g), ctx.cwd(g), name).running();
        } catch (AcpxException e) {
            // no session: the change itself reports it, in the Node acpx's words
        }
        change.run();
        after = ctx.runtime().showSession(ctx.agent(g), ctx.cwd(g), name);
    }

    boolean resumed() {
        return resumed;
    }

    SessionInfo session() {
        return after;
    }

    JsonNode after() {
        return new LocalOutput(ctx, g).disk(after);
    }

    /** {@code {"action","<idKey>","resumed",ids...}} in the Node acpx's key order. */
    ObjectNode result(LocalOutput out, String action, String idKey, String id) {
        ObjectNode node = out.object().put("action", action).put(idKey, id).put("resumed", resumed);
        out.ids(node, after);
        return node;
    }
}
