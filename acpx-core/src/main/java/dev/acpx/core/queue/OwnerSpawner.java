package dev.acpx.core.queue;

import java.io.IOException;

/** Starts a queue owner process for a session (it may lose the lock race and exit at once). */
@FunctionalInterface
public interface OwnerSpawner {
    ProcessHandle spawn(String recordId) throws IOException;

    /**
     * True when the owner already serves (or failed) by the time {@link #spawn} returns, as one the
     * daemon hosts: the returned process then is no owner on its way to the lock, and no spawn note
     * is left for it (a note would make callers wait for a start that already happened).
     */
    default boolean servingOnReturn() {
        return false;
    }
}
