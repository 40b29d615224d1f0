package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.lifecycle.HostFileLock;
import dev.acpx.core.lifecycle.ProcessIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Finds the owner of a session or starts one. Callers that race serialize on a short spawn lock
 * and leave a note of the process they spawned, so normally one owner process is started; should
 * more start anyway, the owner lock lets exactly one serve and the rest exit at once. An owner
 * that does not answer its ping in time (stopped, wedged) or runs another build is ended and
 * replaced ({@link OwnerRetirement}); the new one reconnects the session.
 */
public final class OwnerLauncher {

    /** How long a spawned owner may take to reach its lock before another is spawned. */
    static final Duration SPAWN_WINDOW = Duration.ofSeconds(20);

    private final QueuePaths paths;
    private final ObjectMapper mapper;
    private final Clock clock;

    public OwnerLauncher(QueuePaths paths, ObjectMapper mapper, Clock clock) {
        this.paths = paths;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A client for a live owner of {@code recordId}, starting one with {@code spawner} if none answers. */
    public OwnerClient connectOrStart(String recordId, OwnerSpawner spawner, Duration deadline) {
        return connectOrStart(recordId, spawner, deadline, Deadline.NONE);
    }

    /**
     * As {@link #connectOrStart(String, OwnerSpawner, Duration)}; the caller's whole wait ends at
     * {@code overall} (its --timeout) with TIMEOUT, whatever the owner does.
     */
    public OwnerClient connectOrStart(String recordId, OwnerSpawner spawner, Duration deadline, Deadline overall) {
        paths.ensureDirectory();
        OwnerClient client = new OwnerClient(paths, recordId, mapper);
        long end = System.nanoTime() + deadline.toNanos();
        // On a loaded host an owner JVM can take longer than the deadline to bind; while the
        // process we know was spawned is alive and still starting, waiting is right, up to a cap.
        long hardEnd = System.nanoTime() + deadline.multipliedBy(4).toNanos();
        long pause = 10;
        long silentSince = 0;
        while (true) {
            // A ping cut short by the caller's own deadline proves nothing about the owner.
            boolean fullWait = overall.atMost(OwnerClient.PING_WAIT).equals(OwnerClient.PING_WAIT);
            long asked = System.nanoTime();
            switch (client.probe(Deadline.after(overall.atMost(OwnerClient.PING_WAIT)))) {
                case SERVING -> {
                    return client;
                }
                case OTHER_BUILD -> {
                    if (!retire(recordId, true, "it runs another acpx build")
                            && HostFileLock.isHeld(paths.ownerLock(recordId))) {
                        // no owner process to replace: a host JVM embedding another build serves it
                        throw new AcpxException(ErrorKind.RUNTIME, "session " + recordId + " is held by a"
                                + " process that runs another acpx build (a host JVM embedding acpx?); prompt it"
                                + " there, or run the same acpx build as that host");
                    }
                }
                case SILENT -> {
                    silentSince = silentSince == 0 ? asked : silentSince;
                    if (fullWait && stuck(recordId, System.nanoTime() - silentSince)) {
                        retire(recordId, false, "it did not answer its socket for "
                                + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - silentSince) + " s");
                        silentSince = 0;
                    }
                }
                case RETIRING, ABSENT -> silentSince = 0; // starting, leaving, or none: spawn below if needed
            }
            if (overall.passed()) {
                throw new AcpxException(ErrorKind.TIMEOUT, "timed out waiting for the queue owner of session "
                        + recordId + " to answer (the prompt's --timeout passed)" + stuckHint(recordId));
            }
            maybeSpawn(recordId, client, spawner);
            long now = System.nanoTime();
            boolean starting = now < hardEnd && lastSpawned(recordId).filter(ProcessIdentity::isAlive).isPresent();
            if (now >= end && !starting) {
                throw new AcpxException(ErrorKind.RUNTIME, "no queue owner answered for session " + recordId
                        + " within " + deadline.toMillis() + " ms" + stuckHint(recordId) + "; see "
                        + paths.log(recordId));
            }
            sleep(overall.atMost(Duration.ofMillis(pause)).toMillis());
            pause = Math.min(pause * 2, 100);
        }
    }

    /**
     * Whether a silent owner is stuck rather than slow: a stopped one is at once (SIGSTOP, a
     * debugger), a running one only after {@link #STUCK_AFTER} of silence, since a loaded host can
     * keep a healthy owner from answering for a few seconds.
     */
    private boolean stuck(String recordId, long silentNanos) {
        if (silentNanos >= STUCK_AFTER.toNanos()) {
            return true;
        }
        return new OwnerRetirement(paths).owner(recordId, lastSpawned(recordId).map(ProcessIdentity::pid))
                .map(dev.acpx.core.process.ProcessProbe::stopped).orElse(false);
    }

    /** How long a running owner may stay silent before it counts as wedged and is replaced. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(20);

    /**
     * Ends the session's owner process so a new one can start; a note goes to its log, since the
     * owner itself may never write one again. Nothing happens when no owner process of this
     * session holds the lock (an embedding JVM holds it, or it just exited): false then.
     */
    private boolean retire(String recordId, boolean gracefully, String why) {
        Optional<Long> spawned = lastSpawned(recordId).map(ProcessIdentity::pid);
        Optional<Long> ended = new OwnerRetirement(paths).retire(recordId, gracefully, spawned);
        ended.ifPresent(pid -> {
            try {
                // An owner the daemon hosted has no log of its own yet: the note starts one (0600).
                dev.acpx.core.lifecycle.PrivateFiles.createFile(paths.log(recordId));
                Files.writeString(paths.log(recordId), "[acpx] queue owner " + pid + " was replaced by a caller ("
                        + ProcessHandle.current().pid() + "): " + why + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                // the log is a courtesy; the replacement happened either way
            }
        });
        return ended.isPresent();
    }

    /**
     * Submits a turn to the session's owner, starting one if needed, and retries on a new owner when
     * the current one retires before taking the turn (its TTL expired as we connected).
     */
    public TurnResult submit(String recordId, OwnerSpawner spawner, Duration deadline, String requestId,
                             TurnRequest turn, boolean noWait, TurnListener events) {
        return submit(recordId, spawner, deadline, Deadline.NONE, requestId, turn, noWait, events, null);
    }

    /**
     * As {@link #submit(String, OwnerSpawner, Duration, String, TurnRequest, boolean, TurnListener)};
     * {@code overall} bounds the caller's whole wait (connect, queue, turn): TIMEOUT once it passes.
     * The owner's questions about the turn are answered with {@code asker} (null = no).
     */
    public TurnResult submit(String recordId, OwnerSpawner spawner, Duration deadline, Deadline overall,
                             String requestId, TurnRequest turn, boolean noWait, TurnListener events,
                             PermissionPolicies.Prompter asker) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(0, end - System.nanoTime()));
            OwnerClient client = connectOrStart(recordId, spawner, left, overall);
            try {
                return watched(recordId, client,
                        () -> client.submit(requestId, turn, noWait, events, position -> { }, overall, asker));
            } catch (OwnerRetiringException e) {
                if (overall.passed()) {
                    throw new AcpxException(ErrorKind.TIMEOUT, "timed out waiting for the queue owner of session "
                            + recordId + " (the prompt's --timeout passed): " + e.getMessage());
                }
                if (System.nanoTime() >= end) {
                    throw new AcpxException(ErrorKind.RUNTIME, e.getMessage() + "; gave up after "
                            + deadline.toMillis() + " ms");
                }
            }
        }
    }

    /** How often a caller waiting for its turn checks that the owner still answers. */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);

    /**
     * Runs a caller's wait on the owner while a platform thread pings it every {@link #HEARTBEAT}:
     * an owner that gets stuck during the turn (stopped, wedged) is ended like a stuck owner found
     * at connect, so the waiting caller hears "the owner exited" instead of waiting forever.
     */
    private TurnResult watched(String recordId, OwnerClient client, java.util.function.Supplier<TurnResult> wait) {
        CountDownLatch done = new CountDownLatch(1);
        Thread watcher = Thread.ofPlatform().daemon().name("acpx-owner-heartbeat").start(() -> {
            long silentSince = 0;
            try {
                while (!done.await(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)) {
                    long asked = System.nanoTime();
                    if (client.probe(Deadline.after(OwnerClient.PING_WAIT)) != OwnerClient.Probe.SILENT) {
                        silentSince = 0;
                        continue;
                    }
                    silentSince = silentSince == 0 ? asked : silentSince;
                    if (done.getCount() > 0 && stuck(recordId, System.nanoTime() - silentSince)) {
                        retire(recordId, false, "it stopped answering its socket during a turn");
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // the wait ended
            }
        });
        try {
            return wait.get();
        } finally {
            done.countDown();
            watcher.interrupt();
        }
    }

    private void maybeSpawn(String recordId, OwnerClient client, OwnerSpawner spawner) {
        Optional<HostFileLock> spawnLock;
        try {
            spawnLock = HostFileLock.lock(paths.spawnLock(recordId), Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while starting the queue owner for " + recordId);
        }
        if (spawnLock.isEmpty()) {
            return; // another caller is deciding; we retry connecting
        }
        try (HostFileLock held = spawnLock.get()) {
            if (client.ping()) {
                return;
            }
            // An owner holds the lock but is not answering yet (starting) or any more (retiring): wait.
            if (HostFileLock.isHeld(paths.ownerLock(recordId))) {
                return;
            }
            if (lastSpawned(recordId).filter(this::stillStarting).isPresent()) {
                return; // the process we spawned is still starting its JVM
            }
            ProcessHandle spawned;
            try {
                spawned = spawner.spawn(recordId);
            } catch (IOException e) {
                throw new AcpxException(ErrorKind.RUNTIME, "cannot start the queue owner for session " + recordId
                        + ": " + e.getMessage(), null, e);
            }
            if (spawner.servingOnReturn()) {
                deleteNote(recordId);
            } else {
                writeNote(recordId, spawned);
            }
        }
    }

    /**
     * A spawned process that is alive, recent, and not this JVM (an embedded owner) may still be on its
     * way to the lock. Past the window we spawn again: at worst the extra owner exits at the lock.
     */
    private boolean stillStarting(ProcessIdentity spawned) {
        return spawned.pid() != ProcessHandle.current().pid() && spawned.isAlive()
                && spawned.startedAt().plus(SPAWN_WINDOW).isAfter(clock.instant());
    }

    private Optional<ProcessIdentity> lastSpawned(String recordId) {
        Path note = paths.spawnNote(recordId);
        try {
            String[] parts = Files.readString(note, StandardCharsets.UTF_8).trim().split(" ");
            return Optional.of(new ProcessIdentity(Long.parseLong(parts[0]), Instant.parse(parts[1])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no note or a torn one: nothing known to be starting
        }
    }

    private void deleteNote(String recordId) {
        try {
            Files.deleteIfExists(paths.spawnNote(recordId));
        } catch (IOException e) {
            // a stale note only makes a later caller wait out the spawn window
        }
    }

    private void writeNote(String recordId, ProcessHandle spawned) {
        Instant started = spawned.info().startInstant().orElse(null);
        if (started == null) {
            return;
        }
        Path note = paths.spawnNote(recordId);
        Path temp = note.resolveSibling(note.getFileName() + ".tmp");
        try {
            dev.acpx.core.lifecycle.PrivateFiles.write(temp, (spawned.pid() + " " + started).getBytes(StandardCharsets.UTF_8));
            Files.move(temp, note, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Without the note a racing caller may spawn a second owner, which then exits at the lock.
        }
    }

    private String stuckHint(String recordId) {
        if (!HostFileLock.isHeld(paths.ownerLock(recordId))) {
            return "";
        }
        return lastSpawned(recordId).filter(ProcessIdentity::isAlive)
                .map(p -> " (owner process " + p.pid() + " holds the session but does not answer; a prompt that can wait"
                        + " replaces it, or kill it)")
                .orElse(" (another process holds the session's owner lock but does not answer)");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while waiting for the queue owner");
        }
    }
}
