package dev.acpx.core.daemon;

import dev.acpx.core.queue.OwnerLaunch;
import dev.acpx.core.queue.OwnerSpawner;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Starts a session's queue owner inside the per-user daemon instead of a JVM of its own. The
 * owner is serving when {@link #spawn} returns, and the returned process is the daemon.
 */
public final class DaemonSpawner implements OwnerSpawner {
    private final DaemonStarter starter;
    private final Function<String, OwnerLaunch> launches;
    private final Map<String, String> env;
    private final Duration deadline;

    /**
     * @param launches the owner's launch for a record id
     * @param env      the environment the session's agent inherits (the caller's)
     * @param deadline how long starting (or replacing) the daemon and hosting may take
     */
    public DaemonSpawner(DaemonStarter starter, Function<String, OwnerLaunch> launches, Map<String, String> env,
                         Duration deadline) {
        this.starter = starter;
        this.launches = launches;
        this.env = Map.copyOf(env);
        this.deadline = deadline;
    }

    @Override
    public ProcessHandle spawn(String recordId) throws IOException {
        return starter.host(launches.apply(recordId).toArgs(), env, deadline);
    }

    @Override
    public boolean servingOnReturn() {
        return true;
    }
}
