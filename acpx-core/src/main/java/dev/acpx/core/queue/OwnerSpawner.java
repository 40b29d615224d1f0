package dev.acpx.core.queue;

import java.io.IOException;

/** Starts a queue owner process for a session (it may lose the lock race and exit at once). */
@FunctionalInterface
public interface OwnerSpawner {
    ProcessHandle spawn(String recordId) throws IOException;
}
