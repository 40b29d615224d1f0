package dev.acpx.core.queue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;

/**
 * One live ACP session held by a queue owner: the engine half that the owner drives. The owner
 * calls {@link #runTurn} from one worker thread, one turn at a time; the other methods may be
 * called from connection threads while a turn runs, so implementations make them thread-safe.
 */
public interface SessionHost {

    /** Runs one prompt turn to its end, streaming events to {@code events}; blocks meanwhile. */
    TurnResult runTurn(TurnRequest request, TurnListener events) throws AcpxException;

    /**
     * As {@link #runTurn(TurnRequest, TurnListener)}, asking the turn's questions with {@code asker}
     * (the caller's terminal), or, when it is null, applying the non-interactive setting.
     */
    default TurnResult runTurn(TurnRequest request, TurnListener events, PermissionPolicies.Prompter asker)
            throws AcpxException {
        return runTurn(request, events);
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
     * Called exactly once by the owner; a running {@link #runTurn} must return or throw soon after.
     */
    void close(String reason);

    /** Where this host's turns are journaled (the queue owner writes the turn markers to it). */
    default dev.acpx.core.journal.JournalSink journal() {
        return dev.acpx.core.journal.JournalSink.NONE;
    }
}
