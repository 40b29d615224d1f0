package dev.acpx.api;

/**
 * How long a session's record lives: {@link #PERSISTENT} ones stay open and resumable after their
 * handle closes (the next open of the scope reconnects); {@link #ONESHOT} ones end
 * {@code closed: true} with {@code closed_at} and the reason whenever their handle, the runtime
 * or the JVM ends (SPEC §9.1).
 */
public enum SessionMode {
    PERSISTENT,
    ONESHOT
}
