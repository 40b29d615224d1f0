package dev.acpx.core.engine;

import dev.acpx.core.queue.Deadline;
import dev.acpx.api.AcpxException;
import dev.acpx.core.protocol.AgentCapabilities;
import dev.acpx.core.protocol.LoadSessionResponse;
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
final class SessionOpening {
    private SessionOpening() {}

    record Opened(String sessionId, String currentModeId, List<SessionConfigOption> configOptions, String how) {}

    static Opened open(AgentSession s, SessionRecord record, Deadline deadline) {
        String cwd = record.cwd();
        String previous = record.acpSessionId();
        // An imported record (sessions import) keeps its provider session id: load it, as the Node acpx does.
        boolean connectedBefore = previous != null && (record.agentStartedAt() != null
                || record.json().has("imported_from"));
        AgentCapabilities caps = s.initialized().agentCapabilities();
        if (connectedBefore && caps != null && caps.supportsResume()) {
            try {
                ResumeSessionResponse r = s.call("session/resume", deadline.remaining(),
                        () -> s.connection().resumeSession(previous, cwd, List.of()));
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
                        () -> s.connection().loadSession(previous, cwd, List.of()));
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
                () -> s.connection().newSession(cwd, List.of()));
        return new Opened(r.sessionId(), mode(r.modes()), options(r.configOptions()), "new");
    }

    static void reapply(AgentSession s, String sessionId, SessionSelections saved,
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
