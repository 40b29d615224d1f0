package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.SessionInfo;
import dev.acpx.api.StatusInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code status}: the Node acpx 0.19.1's lines and json keys (its {@code cli/status-command.ts});
 * no open session is not an error there (exit 0, {@code status: no-session}). Ours adds the
 * measured state, the owner's view and the agent's real exit as extra json keys.
 */
@Command(name = "status", description = "Show the session's state", mixinStandardHelpOptions = true)
final class StatusCommand extends VerbCommand {
    @Mixin
    SessionOption session = new SessionOption();

    /** Ends we chose ourselves: a session closed this way is idle, not dead, whatever the exit code. */
    private static final Set<String> DELIBERATE = Set.of("connection_close", "ttl_expired", "owner_terminated",
            "oneshot_complete", "runtime_closed", "closed", "closed by host", "interrupted");

    @Override
    public Integer call() {
        AgentRef agent = ctx.agent(g);
        LocalOutput out = new LocalOutput(ctx, g);
        StatusInfo st;
        try {
            st = ctx.runtime().status(agent, ctx.cwd(g), session.name);
        } catch (AcpxException e) {
            if (e.kind() != ErrorKind.NO_SESSION) {
                throw e;
            }
            missing(out, agent);
            return 0;
        }
        print(out, st);
        return 0;
    }

    private void missing(LocalOutput out, AgentRef agent) {
        if (out.json()) {
            out.emit(out.object().put("action", "status_snapshot").put("status", "no-session")
                    .put("summary", "no active session"));
        } else if (out.quiet()) {
            out.stdout().println("no-session");
        } else {
            for (String line : new String[] {"session: -", "agent: " + agent.command(), "pid: -", "status: no-session",
                    "model: -", "mode: -", "uptime: -", "lastPromptTime: -"}) {
                out.stdout().println(line);
            }
        }
    }

    private void print(LocalOutput out, StatusInfo st) {
        SessionInfo s = st.session();
        JsonNode r = out.disk(s);
        JsonNode acpx = r.path("acpx");
        boolean running = s.running();
        String state = running ? "running" : dead(s) ? "dead" : "idle";
        Long pid = running ? (s.ownerPid() != null ? s.ownerPid() : st.agentPid()) : null;
        String model = LocalOutput.text(acpx, "current_model_id");
        String mode = LocalOutput.text(acpx, "current_mode_id");
        String uptime = running ? uptime(LocalOutput.text(r, "agent_started_at")) : null;
        String lastPrompt = LocalOutput.text(r, "last_prompt_at");
        String agentSessionId = LocalOutput.text(r, "agent_session_id");
        if (out.json()) {
            ObjectNode node = out.object().put("action", "status_snapshot")
                    .put("status", running ? "alive" : state).put("summary", summary(state));
            out.ids(node, s);
            if (pid != null) {
                node.put("pid", pid);
            }
            LocalOutput.putIfPresent(node, "model", model);
            LocalOutput.putIfPresent(node, "mode", mode);
            if (acpx.path("available_models").isArray()) {
                node.set("availableModels", acpx.get("available_models"));
            }
            LocalOutput.putIfPresent(node, "uptime", uptime);
            LocalOutput.putIfPresent(node, "lastPromptTime", lastPrompt);
            if (state.equals("dead")) {
                putNumber(node, "exitCode", s.lastAgentExitCode());
                LocalOutput.putIfPresent(node, "signal", s.lastAgentExitSignal());
            }
            extras(node, s, st);
            StatusUsage.json(node, r);
            out.emit(node);
            return;
        }
        if (out.quiet()) {
            out.stdout().println(state);
            return;
        }
        out.stdout().println("session: " + s.recordId());
        if (agentSessionId != null) {
            out.stdout().println("agentSessionId: " + agentSessionId);
        }
        out.stdout().println("agent: " + s.agentCommand());
        out.stdout().println("pid: " + LocalOutput.dash(pid));
        out.stdout().println("status: " + state);
        out.stdout().println("model: " + LocalOutput.dash(model));
        out.stdout().println("mode: " + LocalOutput.dash(mode));
        out.stdout().println("uptime: " + LocalOutput.dash(uptime));
        out.stdout().println("lastPromptTime: " + LocalOutput.dash(lastPrompt));
        if (state.equals("dead")) {
            out.stdout().println("exitCode: " + LocalOutput.dash(s.lastAgentExitCode()));
            out.stdout().println("signal: " + LocalOutput.dash(s.lastAgentExitSignal()));
        }
        StatusUsage.lines(r).forEach(out.stdout()::println);
    }

    /** What only we measure and record, after the Node acpx's keys. */
    private static void extras(ObjectNode node, SessionInfo s, StatusInfo st) {
        node.put("state", s.state());
        LocalOutput.putIfPresent(node, "ownerState", st.ownerState());
        putNumber(node, "queueDepth", st.queueDepth());
        putNumber(node, "ownerPid", s.ownerPid());
        putNumber(node, "agentPid", st.agentPid() != null ? st.agentPid() : s.pid());
        putNumber(node, "lastAgentExitCode", s.lastAgentExitCode());
        LocalOutput.putIfPresent(node, "lastAgentExitSignal", s.lastAgentExitSignal());
        LocalOutput.putIfPresent(node, "lastAgentExitAt", s.lastAgentExitAt() == null ? null : s.lastAgentExitAt().toString());
        LocalOutput.putIfPresent(node, "lastAgentDisconnectReason", s.lastAgentDisconnectReason());
    }

    /** The Node acpx's "dead": the agent ended badly by itself, or an owner is recorded but gone. */
    private static boolean dead(SessionInfo s) {
        if (s.ownerPid() != null) {
            return true;
        }
        boolean bad = s.lastAgentExitSignal() != null || (s.lastAgentExitCode() != null && s.lastAgentExitCode() != 0);
        return bad && !DELIBERATE.contains(String.valueOf(s.lastAgentDisconnectReason()));
    }

    private static String summary(String state) {
        return switch (state) {
            case "running" -> "queue owner healthy";
            case "idle" -> "session idle; queue owner will start on next prompt";
            default -> "queue owner unavailable";
        };
    }

    private static String uptime(String startedAt) {
        if (startedAt == null) {
            return null;
        }
        Instant started;
        try {
            started = Instant.parse(startedAt);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
        long seconds = Math.max(0, Duration.between(started, Instant.now()).toSeconds());
        return String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    }

    private static void putNumber(ObjectNode node, String key, Number n) {
        if (n != null) {
            node.put(key, n.longValue());
        }
    }
}
