package dev.acpx.core.runtime;

import dev.acpx.api.AcpxException;
import dev.acpx.api.Session;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.SessionStatus;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.engine.embedded.EmbeddedSession;
import java.time.Duration;

/** The {@link Session} handle of an {@link EmbeddedSession}: the API's view of an engine used in-process. */
final class CoreSession implements Session {
    private final EmbeddedSession engine;
    private final SessionOptions options;

    CoreSession(EmbeddedSession engine, SessionOptions options) {
        this.engine = engine;
        this.options = options;
    }

    /** The acpx record id ({@code ~/.acpx/sessions/<id>.json}). */
    @Override
    public String recordId() {
        return engine.recordId();
    }

    @Override
    public SessionOptions options() {
        return options;
    }

    /** {@link #prompt(String, TurnListener)} with this turn's own time limit (null for none). */
    @Override
    public TurnResult prompt(String text, TurnListener listener, Duration timeout) {
        if (text == null || text.isBlank()) {
            throw AcpxException.usage("the prompt is empty");
        }
        return engine.prompt(text, options.permissions(), timeout,
                listener == null ? TurnListener.ignoring() : listener);
    }

    /** Asks the agent to cancel the running turn ({@code session/cancel}); false when none runs. */
    @Override
    public boolean cancel() {
        return engine.cancel();
    }

    /** Switches the session's mode ({@code session/set_mode}) and records the choice. */
    @Override
    public void setMode(String modeId) {
        engine.setMode(modeId);
    }

    /** Sets a config option ({@code session/set_config_option}); returns a one-line summary. */
    @Override
    public String setOption(String key, String value) {
        return engine.setOption(key, value);
    }

    /** The state measured now (is the agent process alive?), never a remembered flag. */
    @Override
    public SessionStatus status() {
        String state;
        Long pid = engine.agentPid();
        if (engine.closed()) {
            state = "closed";
        } else {
            state = pid != null ? "running" : "idle";
        }
        return new SessionStatus(engine.recordId(), engine.acpSessionId(), options.mode(), state, pid,
                engine.turnRunning(), engine.queued(), engine.turnsCompleted(), engine.modeId(),
                engine.lastAgentExit(), engine.closedReason());
    }

    /** False once closed (by the host, the runtime, or {@code sessions close} from outside). */
    @Override
    public boolean isOpen() {
        return !engine.closed();
    }

    /** Ends the session (see the class comment). Idempotent. */
    @Override
    public void close() {
        engine.close("closed by host");
    }

    @Override
    public String toString() {
        return "Session[" + engine.recordId() + ", " + options.mode() + ", " + options.agent().command() + "]";
    }
}
