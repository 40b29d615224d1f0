package dev.acpx.core.queue;

import dev.acpx.api.ClientAccess;
import dev.acpx.api.TimeLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * The tunables of one queue owner.
 *
 * @param queueMaxDepth turns that may wait behind the running one (config {@code queueMaxDepth})
 * @param ttl           idle time after the last turn before the owner exits; zero = never
 * @param shutdownGrace how long a shutdown waits for the running turn to return after the host closed
 * @param callerStallLimit how long a caller may take no byte of its turn's events before the owner
 *                      gives up on it (a slow caller is waited for; a stopped one would hold the queue)
 * @param access        the client capabilities the owner's agent is offered, fixed for the owner's life
 * @param mcpConfig     the {@code --mcp-config} file the owner's sessions take their MCP servers from
 *                      (absolute), or null for the config files' list; fixed for the owner's life
 */
public record OwnerSettings(int queueMaxDepth, Duration ttl, Duration shutdownGrace, Duration callerStallLimit,
                            ClientAccess access, java.nio.file.Path mcpConfig) {

    public static final Duration DEFAULT_CALLER_STALL_LIMIT = Duration.ofSeconds(120);
    public static final int DEFAULT_QUEUE_MAX_DEPTH = 16;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);

    public OwnerSettings {
        if (queueMaxDepth < 1) {
            throw new IllegalArgumentException("queueMaxDepth must be at least 1, got " + queueMaxDepth);
        }
        Objects.requireNonNull(ttl, "ttl");
        if (!TimeLimits.isValid(ttl, true)) {
            throw new IllegalArgumentException("ttl must be " + TimeLimits.range(true) + ", got " + ttl);
        }
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(callerStallLimit, "callerStallLimit");
        if (callerStallLimit.isNegative() || callerStallLimit.isZero()) {
            throw new IllegalArgumentException("callerStallLimit must be positive, got " + callerStallLimit);
        }
        access = access == null ? ClientAccess.FULL : access;
    }

    public OwnerSettings(int queueMaxDepth, Duration ttl, Duration shutdownGrace, Duration callerStallLimit) {
        this(queueMaxDepth, ttl, shutdownGrace, callerStallLimit, ClientAccess.FULL, null);
    }

    public OwnerSettings(int queueMaxDepth, Duration ttl, Duration shutdownGrace, Duration callerStallLimit,
                         ClientAccess access) {
        this(queueMaxDepth, ttl, shutdownGrace, callerStallLimit, access, null);
    }

    /** Depth and TTL as given, with a 5 s shutdown grace and the default caller stall limit. */
    public static OwnerSettings of(int queueMaxDepth, Duration ttl) {
        return new OwnerSettings(queueMaxDepth, ttl, Duration.ofSeconds(5), DEFAULT_CALLER_STALL_LIMIT);
    }

    /** These settings with another caller stall limit. */
    public OwnerSettings withCallerStallLimit(Duration limit) {
        return new OwnerSettings(queueMaxDepth, ttl, shutdownGrace, limit, access, mcpConfig);
    }

    /** These settings with other client capabilities. */
    public OwnerSettings withAccess(ClientAccess access) {
        return new OwnerSettings(queueMaxDepth, ttl, shutdownGrace, callerStallLimit, access, mcpConfig);
    }

    /** These settings with another {@code --mcp-config} file (null: the config files' servers). */
    public OwnerSettings withMcpConfig(java.nio.file.Path mcpConfig) {
        return new OwnerSettings(queueMaxDepth, ttl, shutdownGrace, callerStallLimit, access, mcpConfig);
    }

    /** The Node acpx defaults: 16 waiting turns, 300 s TTL. */
    public static OwnerSettings defaults() {
        return of(DEFAULT_QUEUE_MAX_DEPTH, DEFAULT_TTL);
    }
}
