package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.TurnResult;

/**
 * One turn run on the host between the journal's start and end marks, every failure turned into an
 * outcome: the engine's worker must survive whatever the host or the journal does.
 */
final class JournaledTurn {

    private JournaledTurn() {}

    /** Runs {@code turn} on {@code host}; never throws a RuntimeException (an Error still passes). */
    static TurnOutcome run(SessionHost host, EngineTurn turn, JournalHook journal) {
        quietly(() -> journal.turnStarted(turn.requestId(), turn.prompt()));
        TurnOutcome outcome;
        try {
            TurnResult result = host.runTurn(turn.prompt(), turn.policy(), turn.timeout(), turn.events(),
                    turn.promptRetries());
            outcome = result == null ? new TurnOutcome.Failed(new AcpxException(ErrorKind.RUNTIME,
                    "the session host returned no result for the turn")) : new TurnOutcome.Completed(result);
        } catch (AcpxException e) {
            outcome = new TurnOutcome.Failed(e);
        } catch (RuntimeException e) {
            outcome = new TurnOutcome.Failed(new AcpxException(ErrorKind.RUNTIME,
                    "the session host failed during the turn: " + e, null, e));
        }
        TurnOutcome last = outcome;
        quietly(() -> journal.turnEnded(turn.requestId(), last));
        return outcome;
    }

    /** A journal that throws must not cost the turn: the hook's contract says it does not, but it may. */
    private static void quietly(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // the journal's own failure; the turn goes on
        }
    }
}
