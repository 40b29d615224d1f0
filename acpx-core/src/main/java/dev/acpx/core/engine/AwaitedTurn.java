package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.TurnResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The sink of a turn whose submitter blocks until it ends (an embedded prompt, exec). */
public final class AwaitedTurn implements TurnSink {
    private final CompletableFuture<TurnOutcome> outcome = new CompletableFuture<>();

    @Override
    public void accepted(int position) {
        // nothing to tell: the submitter is already waiting
    }

    @Override
    public void finished(TurnOutcome last) {
        outcome.complete(last);
    }

    /** Waits for the outcome; interrupted, the caller decides what becomes of the turn. */
    public TurnOutcome await() throws InterruptedException {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "the session engine failed: " + e.getCause(), null, e.getCause());
        }
    }

    /** Waits at most {@code limit} for the outcome (of a turn being cancelled); false when it did not come. */
    public boolean awaitQuietly(Duration limit) {
        try {
            outcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** The result of a completed turn, or the failure thrown. */
    public static TurnResult resultOf(TurnOutcome outcome) {
        return switch (outcome) {
            case TurnOutcome.Completed done -> done.result();
            case TurnOutcome.Failed failed -> throw failed.error();
        };
    }
}
