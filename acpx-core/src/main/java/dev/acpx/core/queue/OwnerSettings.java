package dev.acpx.core.queue;

import dev.acpx.api.ClientAccess;
import java.time.Duration;
import java.util.Objects;

/**
 * The tunables of one queue owner.
 *
 * @param queueMaxDepth turns that may wait behind the running one (config {@code queueMaxDepth})
 * @param ttl           idle time after the last turn before the owner exits; zero = never
 * @param shutdownGrace how long a shutdown waits for the running turn to return after the host closed
 * @param access        the client capabilities the owner's agent is offered, fixed for the owner's life
 */
public record OwnerSettings(int queueMaxDepth, Duration ttl, Duration shutdownGrace, ClientAccess access) {

    public OwnerSettings(int queueMaxDepth, Duration ttl, Duration shutdownGrace) {
        this(queueMaxDepth, ttl, shutdownGrace, ClientAccess.FULL);
    }

    public static final int DEFAULT_QUEUE_MAX_DEPTH = 16;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);

    public OwnerSettings {
        if (queueMaxDepth < 1) {
            throw new IllegalArgumentException("queueMaxDepth must be at least 1, got " + queueMaxDepth);
        }
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative, got " + ttl);
        }
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        access = access == null ? ClientAccess.FULL : access;
    }

    public OwnerSettings withAccess(ClientAccess access) {
        return new OwnerSettings(queueMaxDepth, ttl, shutdownGrace, access);
    }

    /** Depth and TTL as given, with a 5 s shutdown grace. */
    public static OwnerSettings of(int queueMaxDepth, Duration ttl) {
        return new OwnerSettings(queueMaxDepth, ttl, Duration.ofSeconds(5));
    }

    /** The Node acpx defaults: 16 waiting turns, 300 s TTL. */
    public static OwnerSettings defaults() {
        return of(DEFAULT_QUEUE_MAX_DEPTH, DEFAULT_TTL);
    }
}
