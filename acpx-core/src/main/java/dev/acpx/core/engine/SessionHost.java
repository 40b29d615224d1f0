package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import java.time.Duration;

/**
 * One live ACP session as the {@link SessionEngine} drives it: the agent connection half. The
 * engine calls {@link #runTurn} from its one worker thread, one turn at a time; the other methods
 * may be called from other threads while a turn runs, so implementations make them thread-safe.
 */
public interface SessionHost {

    /**
     * Runs one prompt turn to its end, streaming events to {@code events}; blocks meanwhile.
     *
     * @param policy  decides the agent's permission requests of this turn
     * @param timeout the turn's limit, or null for none
     */
    TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events)
            throws AcpxException;

    /**
     * As above; a prompt that fails transiently is sent again up to {@code promptRetries} times
     * (SPEC-P2 §8, {@code --prompt-retries}). A host that cannot retry runs the turn once.
     */
    default TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events,
                               int promptRetries) throws AcpxException {
        return runTurn(prompt, policy, timeout, events);
    }

    /** Asks the agent to cancel the running turn ({@code session/cancel}); true if one was running. */
    boolean cancelCurrent();

    /** Switches the session's mode and records the choice. */
    void setMode(String modeId) throws AcpxException;

    /** Sets a session config option and records the choice; returns a one-line human summary. */
    String setConfigOption(String key, String value) throws AcpxException;

    /** The session's current state, cheaply (no agent round trip). */
    HostStatus status();

    /**
     * Ends the agent process tree and records the truth (exit status, disconnect {@code reason}).
     * Called exactly once by the engine; a running {@link #runTurn} must return or throw soon after.
     */
    void close(String reason);
}
