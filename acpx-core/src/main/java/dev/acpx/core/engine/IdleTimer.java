package dev.acpx.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An engine's idle timer: how long since the last turn or control request ended, against the TTL.
 * Not thread-safe: the engine uses it under its lock, and only its worker waits on it, so the
 * timer cannot fire while a turn runs or waits.
 */
final class IdleTimer {
    private final Duration ttl;
    private final Clock clock;
    private long sinceNanos;
    private Instant since;

    IdleTimer(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
        restart();
    }

    /** Idle from now on. */
    void restart() {
        sinceNanos = System.nanoTime();
        since = clock.instant();
    }

    /** When the engine became idle (valid while it is). */
    Instant since() {
        return since;
    }

    /** True when the engine never stops by itself (TTL zero). */
    boolean forever() {
        return ttl.isZero();
    }

    /** Nanoseconds left before the TTL expires; zero or less once it has. */
    long remainingNanos() {
        return sinceNanos + ttl.toNanos() - System.nanoTime();
    }

    long ttlMillis() {
        return ttl.toMillis();
    }
}
