package dev.acpx.api;

import dev.acpx.core.engine.EmbeddedSession;
import java.time.Duration;

/**
 * A session held by this JVM, opened with {@link AcpxRuntime#open}. Thread-safe: prompts from
 * several threads run one at a time in arrival order; {@link #cancel}, {@link #status} and
 * {@link #close} may be called at any time, also while a turn runs.
 *
 * <p>Closing ends the agent's whole process tree and frees the host-wide slot; a one-shot
 * session's record ends {@code closed: true}, a persistent one stays open and resumable.
 */
public final class Session implements AutoCloseable {
    private final EmbeddedSession engine;
    private final SessionOptions options;

    Session(EmbeddedSession engine, SessionOptions options) {
        this.engine = engine;
        this.options = options;
    }

    /** The acpx record id ({@code ~/.acpx/sessions/<id>.json}). */
    public String recordId() {
        return engine.recordId();
    }

    public SessionOptions options() {
        return options;
    }

    /**
     * Sends one prompt and blocks until the turn ends, delivering its events to {@code listener}
     * (the last one is {@link TurnEvent.Done}). The agent is started (or restarted after a crash,
     * resuming the session) when needed.
     *
     * @throws AcpxException TIMEOUT past the turn limit, RUNTIME when the agent fails or dies,
     *                       NO_SESSION once the session is closed, INTERRUPTED when closed meanwhile
     */
    public TurnResult prompt(String text, TurnListener listener) {
        return prompt(text, listener, options.turnTimeout());
    }

    /** {@link #prompt(String, TurnListener)} with this turn's own time limit (null for none). */
    public TurnResult prompt(String text, TurnListener listener, Duration timeout) {
        if (text == null || text.isBlank()) {
            throw AcpxException.usage("the prompt is empty");
        }
        return engine.prompt(text, options.permissions(), timeout,
                listener == null ? TurnListener.ignoring() : listener);
    }

    /** Asks the agent to cancel the running turn ({@code session/cancel}); false when none runs. */
    public boolean cancel() {
        return engine.cancel();
    }

    /** Switches the session's mode ({@code session/set_mode}) and records the choice. */
    public void setMode(String modeId) {
        engine.setMode(modeId);
    }

    /** Sets a config option ({@code session/set_config_option}); returns a one-line summary. */
    public String setOption(String key, String value) {
        return engine.setOption(key, value);
    }

    /** The state measured now (is the agent process alive?), never a remembered flag. */
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
