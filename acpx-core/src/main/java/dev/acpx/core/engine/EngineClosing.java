package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;

/**
 * A refusal because the engine is shutting down: nothing ran, and the request may go to a new
 * engine (a new queue owner). Told apart from other failures by its cause.
 */
public final class EngineClosing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private EngineClosing() {
        super("the session engine is shutting down", null, false, false);
    }

    /** The refusal of a request to the engine of {@code recordId}. */
    static AcpxException refusal(String recordId) {
        return new AcpxException(ErrorKind.RUNTIME, "the queue owner for session " + recordId
                + " is shutting down; start a new one", null, new EngineClosing());
    }

    /** True when {@code e} refused a request because the engine is shutting down (nothing ran). */
    public static boolean isRefusal(AcpxException e) {
        return e.getCause() instanceof EngineClosing;
    }
}
