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

/**
 * Finds the owner of a session or starts one. Callers that race serialize on a short spawn lock
 * and leave a note of the process they spawned, so normally one owner process is started; should
 * more start anyway, the owner lock lets exactly one serve and the rest exit at once.
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
        paths.ensureDirectory();
        OwnerClient client = new OwnerClient(paths, recordId, mapper);
        long end = System.nanoTime() + deadline.toNanos();
        // On a loaded host an owner JVM can take longer than the deadline to bind; while the
        // process we know was spawned is alive and still starting, waiting is right, up to a cap.
        long hardEnd = System.nanoTime() + deadline.multipliedBy(4).toNanos();
        long pause = 10;
        while (true) {
            if (client.ping()) {
                return client;
            }
            maybeSpawn(recordId, client, spawner);
            long now = System.nanoTime();
            boolean starting = now < hardEnd && lastSpawned(recordId).filter(ProcessIdentity::isAlive).isPresent();
            if (now >= end && !starting) {
                throw new AcpxException(ErrorKind.RUNTIME, "no queue owner answered for session " + recordId
                        + " within " + deadline.toMillis() + " ms" + stuckHint(recordId) + "; see "
                        + paths.log(recordId));
            }
            sleep(pause);
            pause = Math.min(pause * 2, 100);
        }
    }

    /**
     * Submits a turn to the session's owner, starting one if needed, and retries on a new owner when
     * the current one retires before taking the turn (its TTL expired as we connected).
     */
    public TurnResult submit(String recordId, OwnerSpawner spawner, Duration deadline, String requestId,
                             TurnRequest turn, boolean noWait, TurnListener events) {
        return submit(recordId, spawner, deadline, requestId, turn, noWait, events, null);
    }

    /** As above; the owner's questions about the turn are answered with {@code asker} (null = no). */
    public TurnResult submit(String recordId, OwnerSpawner spawner, Duration deadline, String requestId,
                             TurnRequest turn, boolean noWait, TurnListener events, PermissionPolicies.Prompter asker) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(0, end - System.nanoTime()));
            OwnerClient client = connectOrStart(recordId, spawner, left);
            try {
                return client.submit(requestId, turn, noWait, events, position -> { }, asker);
            } catch (OwnerRetiringException e) {
                if (System.nanoTime() >= end) {
                    throw new AcpxException(ErrorKind.RUNTIME, e.getMessage() + "; gave up after "
                            + deadline.toMillis() + " ms");
                }
            }
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
            writeNote(recordId, spawned);
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
                .map(p -> " (owner process " + p.pid() + " holds the session but does not answer; kill it to replace it)")
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
