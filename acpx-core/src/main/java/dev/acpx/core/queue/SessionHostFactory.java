package dev.acpx.core.queue;

import dev.acpx.api.AcpxException;

/**
 * Opens the {@link SessionHost} of a queue owner. Called once, on the owner's worker thread, after
 * the owner lock is held and the socket is bound, so callers can queue while the agent starts.
 */
@FunctionalInterface
public interface SessionHostFactory {
    SessionHost open() throws AcpxException;
}
