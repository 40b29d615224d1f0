package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;

/**
 * Opens the {@link SessionHost} of a {@link SessionEngine}. Called once, on the engine's worker
 * thread (a queue owner has its lock and socket by then, so callers can queue while the agent
 * starts). The host hands {@code journal} to its agent connection, which reports every ACP message
 * through it.
 */
@FunctionalInterface
public interface SessionHostFactory {
    SessionHost open(JournalHook journal) throws AcpxException;
}
