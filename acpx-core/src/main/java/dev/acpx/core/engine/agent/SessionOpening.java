package dev.acpx.core.engine.agent;

import dev.acpx.core.queue.Deadline;
import dev.acpx.api.AcpxException;
import dev.acpx.core.protocol.AgentCapabilities;
import dev.acpx.core.protocol.LoadSessionResponse;
import dev.acpx.core.protocol.McpServer;
import dev.acpx.core.protocol.NewSessionResponse;
import dev.acpx.core.protocol.ResumeSessionResponse;
import dev.acpx.core.protocol.SessionConfigOption;
import dev.acpx.core.protocol.SessionModeState;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionSelections;
import java.util.List;
import java.util.Map;

/**
 * Opening a record's ACP session on a fresh agent (SPEC §3 reconnect): {@code session/resume}
 * when the agent offers it, else {@code session/load} (its replayed history is not shown), else
 * {@code session/new}; then the saved mode and config choices are applied again. All of it runs
 * within one {@link Deadline}. Only the agent's refusal (an error answer: "not supported", "no
 * such session") moves on to the next way; a timeout, an interrupt or the agent's exit ends the
 * opening, or one open could take three times the limit and an interrupt would be ignored.
 */
public final class SessionOpening {
    private SessionOpening() {}

    public record Opened(String sessionId, String currentModeId, List<SessionConfigOption> configOptions, String how) {}

    public static Opened open(AgentSession s, SessionRecord record, Deadline deadline) {
        return open(s, record, deadline, List.of(), null);
    }

    /**
     * As above, with the MCP servers every way carries (SPEC-P2 §7) and the {@code _meta} only
     * {@code session/new} carries (SPEC-P2 §8: the record's session options, also on a fallback).
     */
    public static Opened open(AgentSession s, SessionRecord record, Deadline deadline, List<McpServer> mcp,
                              com.fasterxml.jackson.databind.JsonNode newSessionMeta) {
        String cwd = record.cwd();
        String previous = record.acpSessionId();
        // An imported record (sessions import) keeps its provider session id: load it, as the Node acpx does.
        boolean connectedBefore = previous != null && (record.agentStartedAt() != null
                || record.json().has("imported_from"));
        AgentCapabilities caps = s.initialized().agentCapabilities();
        if (connectedBefore && caps != null && caps.supportsResume()) {
            try {
                ResumeSessionResponse r = s.call("session/resume", deadline.remaining(),
                        () -> s.connection().resumeSession(previous, cwd, mcp));
                return new Opened(previous, mode(r.modes()), options(r.configOptions()), "resume");
            } catch (AcpxException e) {
                if (!AgentSession.refused(e)) {
                    throw e;
                }
                // the agent no longer knows the session: try the next way
            }
        }
        if (connectedBefore && caps != null && caps.loadSession()) {
            var observer = s.silence();
            try {
                LoadSessionResponse r = s.call("session/load", deadline.remaining(),
                        () -> s.connection().loadSession(previous, cwd, mcp));
                return new Opened(previous, mode(r.modes()), options(r.configOptions()), "load");
            } catch (AcpxException e) {
                if (!AgentSession.refused(e)) {
                    throw e;
                }
                // fall through to a new session
            } finally {
                s.observe(observer);
            }
        }
        NewSessionResponse r = s.call("session/new", deadline.remaining(),
                () -> s.connection().newSession(cwd, mcp, newSessionMeta));
        return new Opened(r.sessionId(), mode(r.modes()), options(r.configOptions()), "new");
    }

    /**
     * {@code sessions new --resume-session ID} (SPEC-P2 §12): adopt the agent's session {@code id}
     * with {@code session/resume} when offered, else {@code session/load} (its replay not shown), never
     * a new session. Neither offered, or the agent refuses: the Node acpx's message, exit 1.
     */
    public static Opened adopt(AgentSession s, String agentCommand, String id, String cwd, Deadline deadline,
                               List<McpServer> mcp) {
        AgentCapabilities caps = s.initialized().agentCapabilities();
        boolean resume = caps != null && caps.supportsResume();
        if (!resume && (caps == null || !caps.loadSession())) {
            throw new AcpxException(dev.acpx.api.ErrorKind.RUNTIME, "Agent command \"" + agentCommand
                    + "\" does not support session/resume or session/load; cannot resume session " + id);
        }
        var observer = resume ? null : s.silence();
        try {
            if (resume) {
                ResumeSessionResponse r = s.call("session/resume", deadline.remaining(),
                        () -> s.connection().resumeSession(id, cwd, mcp));
                return new Opened(id, mode(r.modes()), options(r.configOptions()), "resume");
            }
            LoadSessionResponse r = s.call("session/load", deadline.remaining(),
                    () -> s.connection().loadSession(id, cwd, mcp));
            return new Opened(id, mode(r.modes()), options(r.configOptions()), "load");
        } catch (AcpxException e) {
            if (!AgentSession.refused(e)) {
                throw e;
            }
            String reason = e.agentError() != null && e.agentError().message() != null ? e.agentError().message()
                    : e.getMessage();
            // The agent does not know the session (ACP -32002 resource not found): as the Node acpx, no session (exit 4).
            boolean unknown = e.agentError() != null && e.agentError().code() == -32002;
            throw new AcpxException(unknown ? dev.acpx.api.ErrorKind.NO_SESSION : dev.acpx.api.ErrorKind.RUNTIME,
                    "Failed to resume ACP session " + id + ": " + reason, e.detail(), e, e.agentError());
        } finally {
            if (!resume) {
                s.observe(observer);
            }
        }
    }

    public static void reapply(AgentSession s, String sessionId, SessionSelections saved,
                        List<SessionConfigOption> offered, Deadline deadline) {
        String mode = saved.desiredModeId();
        if (mode != null && !mode.equals(saved.currentModeId())) {
            try {
                s.call("session/set_mode", deadline.remaining(), () -> {
                    s.connection().setMode(sessionId, mode);
                    return null;
                });
                saved.setCurrentModeId(mode);
            } catch (AcpxException e) {
                if (!AgentSession.refused(e)) {
                    throw e;
                }
                // the agent dropped the mode: keep the wish, the session still works
            }
        }
        for (Map.Entry<String, String> choice : saved.desiredConfigOptions().entrySet()) {
            try {
                ConfigOptions.apply(s, sessionId, offered, choice.getKey(), choice.getValue(), deadline.remaining());
                saved.setOptionValue(choice.getKey(), choice.getValue());
                if (choice.getKey().equals("model")) {
                    saved.setCurrentModelId(choice.getValue());
                }
            } catch (AcpxException e) {
                if (e.kind() == dev.acpx.api.ErrorKind.TIMEOUT || e.kind() == dev.acpx.api.ErrorKind.INTERRUPTED
                        || !s.isAlive()) {
                    throw e;
                }
                // an option the agent no longer offers (refused, or not in its list): skip it
            }
        }
    }

    private static String mode(SessionModeState modes) {
        return modes == null ? null : modes.currentModeId();
    }

    private static List<SessionConfigOption> options(List<SessionConfigOption> options) {
        return options == null ? List.of() : options;
    }
}
