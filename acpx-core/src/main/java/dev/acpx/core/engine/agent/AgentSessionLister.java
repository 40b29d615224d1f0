package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AgentRef;
import dev.acpx.api.AgentSessionList;
import dev.acpx.core.config.AcpxConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code sessions list} without {@code --local} (SPEC-P2 §3): starts the agent, and when it
 * advertises {@code sessionCapabilities.list}, asks it for its sessions; the agent is always
 * closed again, by {@code closer}: the runtime closes it in the background, so the answer does not
 * wait for the agent to leave (its close waits instead). The caller falls back to the local records
 * for the other outcomes.
 */
public final class AgentSessionLister {
    private final EngineContext ctx;
    private final java.util.function.Consumer<AgentSession> closer;

    public AgentSessionLister(EngineContext ctx, java.util.function.Consumer<AgentSession> closer) {
        this.ctx = ctx;
        this.closer = closer;
    }

    public AgentSessionList list(AgentRef agent, Path cwd, AcpxConfig config, String cursor, String filterCwd,
                                 Duration timeout) {
        if (!spawnable(agent.argv().get(0), cwd)) {
            // The Node acpx's spawn fails with ENOENT here and it quietly lists the local records.
            return new AgentSessionList(AgentSessionList.Outcome.SPAWN_FAILED, null);
        }
        AuthSetup auth = new AuthSetup(config, ctx.environment(), false);
        AgentSession s = AgentSession.spawn(ctx, agent, cwd, auth, null, dev.acpx.api.ClientAccess.FULL);
        try {
            // The start has the handshake limit of every agent start; the command's, when shorter, too.
            s.handshake(auth, dev.acpx.core.queue.Deadline.earliest(config.handshakeTimeout(), timeout).remaining());
            var caps = s.initialized().agentCapabilities();
            if (caps == null || caps.sessionCapabilities() == null || !caps.sessionCapabilities().supportsList()) {
                return new AgentSessionList(AgentSessionList.Outcome.UNSUPPORTED, null);
            }
            JsonNode response = s.call("session/list", timeout, () -> s.connection().listSessions(filterCwd, cursor));
            ObjectNode out = ctx.mapper().createObjectNode();
            if (response.has("_meta")) {
                out.set("_meta", response.get("_meta"));
            }
            out.put("source", "agent");
            out.set("sessions", response.path("sessions").isArray() ? response.get("sessions")
                    : ctx.mapper().createArrayNode());
            if (cursor != null) {
                out.put("cursor", cursor);
            }
            if (filterCwd != null) {
                out.put("cwd", filterCwd);
            }
            if (response.path("nextCursor").isTextual()) {
                out.set("nextCursor", response.get("nextCursor"));
            }
            return new AgentSessionList(AgentSessionList.Outcome.LISTED, out.toString());
        } finally {
            closer.accept(s);
        }
    }

    /** Whether the program exists: a path (relative to cwd) or a name found on PATH. */
    private boolean spawnable(String program, Path cwd) {
        if (program.contains("/")) {
            return Files.isExecutable(cwd.resolve(program));
        }
        String path = ctx.environment().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
