package dev.acpx.core.process;

import dev.acpx.core.os.Kernel;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reaps the children this JVM adopted as a child subreaper. An orphaned daemon of an agent is
 * re-parented to us; when it exits it stays a zombie until we wait for it, and the JDK only waits
 * for the processes it started itself.
 *
 * <p>The danger is the reverse: waiting for a child the JDK started steals its exit status (the
 * JDK then reports 0). The JDK's reaper thread waits for each of its children from the moment it
 * starts, so such a child is a zombie for microseconds only. A zombie child is therefore reaped
 * here only when it was already a zombie at the previous sweep, at least {@link #MIN_ZOMBIE_AGE}
 * earlier, and is not one of the supervisor's own live children. Processes the supervisor itself
 * ended and knows to be adopted are reaped at once through {@link #reapKnown}.
 */
final class AdoptedReaper implements AutoCloseable {

    /*
     * One sweeping thread per JVM, never stopped: being a child subreaper is a property of the
     * process that outlives any supervisor, and a daemon a closed supervisor ended may exit (and
     * need reaping) after that supervisor is gone. The only static state of this package, for that
     * reason; each open supervisor registers the pids the JDK started for it.
     */
    private static AdoptedReaper jvmWide;
    private static final Set<Supplier<Set<Long>>> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Joins the JVM-wide reaper (started on first use); {@code startedByUs} is never reaped by it. */
    static synchronized AdoptedReaper join(Kernel kernel, Supplier<Set<Long>> startedByUs) {
        STARTED.add(startedByUs);
        if (jvmWide == null) {
            jvmWide = new AdoptedReaper(kernel, AdoptedReaper::startedByAny);
        }
        return jvmWide;
    }

    /** A supervisor that closed: its children are gone, the reaper goes on for what it adopted. */
    static void leave(Supplier<Set<Long>> startedByUs) {
        STARTED.remove(startedByUs);
    }

    private static Set<Long> startedByAny() {
        Set<Long> all = new HashSet<>();
        for (Supplier<Set<Long>> s : STARTED) {
            all.addAll(s.get());
        }
        return all;
    }

    static final Duration MIN_ZOMBIE_AGE = Duration.ofMillis(1500);
    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private final Kernel kernel;
    private final Supplier<Set<Long>> startedByUs;
    /** Zombie children seen at an earlier sweep, with when they were first seen. */
    private final Map<Long, Long> zombiesSince = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    /** @param startedByUs pids the JDK started for the supervisor and still waits for: never reaped here */
    AdoptedReaper(Kernel kernel, Supplier<Set<Long>> startedByUs) {
        this.kernel = kernel;
        this.startedByUs = startedByUs;
        // A platform daemon thread: it sleeps most of the time and must never keep the JVM alive.
        this.thread = Thread.ofPlatform().daemon().name("acpx-reaper").unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
            try {
                sweep();
            } catch (RuntimeException e) {
                // /proc unreadable for a moment: the next sweep tries again.
            }
        }
    }

    /** One pass: reaps zombie children that were zombies already at an earlier pass. Returns how many. */
    synchronized int sweep() {
        long now = System.nanoTime();
        Set<Long> ours = startedByUs.get();
        Set<Long> zombiesNow = new HashSet<>();
        int reaped = 0;
        for (long child : ProcessTree.childrenOfSelf()) {
            ProcessTree.Stat stat = ProcessTree.stat(child);
            if (stat == null || !stat.zombie() || ours.contains(child)) {
                continue;
            }
            Long since = zombiesSince.get(child);
            if (since != null && now - since >= MIN_ZOMBIE_AGE.toNanos()) {
                if (kernel.reap(child)) {
                    reaped++;
                }
            } else {
                zombiesNow.add(child);
                zombiesSince.putIfAbsent(child, now);
            }
        }
        zombiesSince.keySet().retainAll(zombiesNow);
        return reaped;
    }

    /**
     * Reaps processes the caller knows the JDK did not start (found by their tree's token and ended by
     * the supervisor) once they are zombie children of ours; others are left alone.
     */
    void reapKnown(Collection<ProcessHandle> adopted) {
        long self = ProcessHandle.current().pid();
        for (ProcessHandle h : adopted) {
            ProcessTree.Stat stat = ProcessTree.stat(h.pid());
            if (stat != null && stat.zombie() && stat.ppid() == self) {
                kernel.reap(h.pid());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
