package dev.acpx.api;

import java.time.Duration;

/**
 * A session held by this JVM, opened with {@link AcpxRuntime#open}. Thread-safe: prompts from
 * several threads run one at a time in arrival order; {@link #cancel}, {@link #status} and
 * {@link #close} may be called at any time, also while a turn runs.
 *
 * <p>Closing ends the agent's whole process tree and frees the host-wide slot; a one-shot
 * session's record ends {@code closed: true}, a persistent one stays open and resumable.
 */
public interface Session extends AutoCloseable {

    /** The acpx record id ({@code ~/.acpx/sessions/<id>.json}). */
    String recordId();

    SessionOptions options();

    /**
     * Sends one prompt and blocks until the turn ends, delivering its events to {@code listener}
     * (the last one is {@link TurnEvent.Done}). The agent is started (or restarted after a crash,
     * resuming the session) when needed.
     *
     * @throws AcpxException TIMEOUT past the turn limit, RUNTIME when the agent fails or dies,
     *                       NO_SESSION once the session is closed, INTERRUPTED when closed meanwhile
     */
    default TurnResult prompt(String text, TurnListener listener) {
        return prompt(text, listener, options().turnTimeout());
    }

    /** {@link #prompt(String, TurnListener)} with this turn's own time limit (null for none). */
    TurnResult prompt(String text, TurnListener listener, Duration timeout);

    /** Asks the agent to cancel the running turn ({@code session/cancel}); false when none runs. */
    boolean cancel();

    /** Switches the session's mode ({@code session/set_mode}) and records the choice. */
    void setMode(String modeId);

    /** Sets a config option ({@code session/set_config_option}); returns a one-line summary. */
    String setOption(String key, String value);

    /** The state measured now (is the agent process alive?), never a remembered flag. */
    SessionStatus status();

    /** False once closed (by the host, the runtime, or {@code sessions close} from outside). */
    boolean isOpen();

    /** Ends the session (see the class comment). Idempotent. */
    @Override
    void close();
}
