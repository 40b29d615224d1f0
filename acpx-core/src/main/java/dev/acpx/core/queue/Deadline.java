package dev.acpx.core.queue;

import java.time.Duration;

/**
 * One limit shared by several waits: each gets what is left of it. Used for the handshake
 * (initialize, authenticate, session/new|load|resume, the mode and options applied again) and for
 * a caller's whole wait on a queue owner (connect, queue, turn).
 */
public record Deadline(long endNanos, boolean unlimited) {

    /** No limit. */
    public static final Deadline NONE = new Deadline(0, true);

    /** {@code limit} from now; null means none. */
    public static Deadline after(Duration limit) {
        return limit == null ? NONE : new Deadline(System.nanoTime() + limit.toNanos(), false);
    }

    /** The earlier of two limits from now; either may be null (none). */
    public static Deadline earliest(Duration a, Duration b) {
        if (a == null) {
            return after(b);
        }
        return after(b == null || a.compareTo(b) <= 0 ? a : b);
    }

    /** What is left (zero once passed, so the next wait times out at once), or null when unlimited. */
    public Duration remaining() {
        return unlimited ? null : Duration.ofNanos(nanosLeft());
    }

    /** {@code cap}, or less when less is left. */
    public Duration atMost(Duration cap) {
        return unlimited || cap.toNanos() <= nanosLeft() ? cap : Duration.ofNanos(nanosLeft());
    }

    public boolean passed() {
        return !unlimited && nanosLeft() == 0;
    }

    private long nanosLeft() {
        return Math.max(0, endNanos - System.nanoTime());
    }
}
