package dev.acpx.core.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A process named by pid plus start instant, so that a pid reused by a later process reads as dead.
 *
 * <p>On Linux the JDK derives {@code startInstant} from the start ticks in {@code /proc/<pid>/stat}
 * (10 ms granularity) plus the boot time, which each JVM reads once as wall clock minus uptime. Two
 * JVMs therefore agree exactly unless the wall clock was stepped between their starts, so the
 * comparison tolerates {@link #START_TOLERANCE}: a pid recycled within a second of the original's
 * start would need the whole pid space to wrap in that second.
 */
public record ProcessIdentity(long pid, Instant startedAt) {

    /** How far two readings of the same process's start may differ. */
    public static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    public ProcessIdentity {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, got " + pid);
        }
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** This JVM's own identity; empty only on platforms that do not report start times. */
    public static Optional<ProcessIdentity> current() {
        return from(ProcessHandle.current());
    }

    /** The identity of the live process {@code pid}; empty when there is none (or it is unreadable). */
    public static Optional<ProcessIdentity> of(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).flatMap(ProcessIdentity::from);
    }

    /** The identity of a process we hold a handle to (e.g. a child we spawned). */
    public static Optional<ProcessIdentity> from(ProcessHandle handle) {
        return handle.info().startInstant().map(start -> new ProcessIdentity(handle.pid(), start));
    }

    /** True only if a process with this pid runs now (not a zombie) and started when this identity says. */
    public boolean isAlive() {
        return handle().isPresent();
    }

    /** The live process handle, if this identity is alive (for killing its tree, waiting on it). */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid).filter(h -> h.isAlive()
                && h.info().startInstant().map(this::sameStart).orElse(false)
                && !isZombie(h.pid()));
    }

    /**
     * The JDK counts a zombie (exited, not yet reaped) as alive. A SIGKILLed owner or an agent
     * orphaned by one is re-parented to init, and an init that reaps lazily (container and VM
     * inits do, for a second or more; some never do) would keep such a session "running" and its
     * dead pids in the record. A zombie runs nothing, so it counts as dead; only /proc tells.
     */
    private static boolean isZombie(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return false; // no procfs (or gone): the JDK's answer stands
        }
        // "pid (comm) S ...": comm may hold spaces and parentheses, so the state follows the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(close + 2);
        return state == 'Z' || state == 'X';
    }

    private boolean sameStart(Instant observed) {
        return Duration.between(startedAt, observed).abs().compareTo(START_TOLERANCE) <= 0;
    }
}
