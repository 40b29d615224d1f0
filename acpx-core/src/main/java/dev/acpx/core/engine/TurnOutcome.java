package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.TurnResult;

/** How a turn submitted to a {@link SessionEngine} ended (or why it never ran). */
public sealed interface TurnOutcome {

    /** The turn ran to its end (also a cancelled one, and one dropped from the queue by cancel). */
    record Completed(TurnResult result) implements TurnOutcome {}

    /**
     * The turn failed or was refused. {@code retryElsewhere}: nothing ran because the engine is
     * shutting down; the same request may go to a new engine (a new queue owner).
     */
    record Failed(AcpxException error, boolean retryElsewhere) implements TurnOutcome {
        public Failed(AcpxException error) {
            this(error, false);
        }
    }
}
