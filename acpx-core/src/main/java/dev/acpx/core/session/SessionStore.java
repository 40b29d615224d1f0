package dev.acpx.core.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.lifecycle.HostFileLock;
import dev.acpx.core.lifecycle.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The session records under {@code <acpxHome>/sessions}: durable atomic writes, tolerant listing,
 * scope lookup, and find-then-create under a host-wide file lock so that concurrent
 * {@code sessions ensure} callers in any number of processes agree on one record.
 */
public final class SessionStore {

    /** How long a scope operation waits for another process's scope operation to finish. */
    static final Duration SCOPE_LOCK_TIMEOUT = Duration.ofSeconds(30);

    /** How long a record update waits for another writer of the same record (each takes milliseconds). */
    static final Duration RECORD_LOCK_TIMEOUT = Duration.ofSeconds(30);

    /** A record with its last use parsed once: sorting 1,000 records compares ~10,000 times. */
    private record ByLastUse(Instant lastUsedAt, SessionRecord record) {}

    private static final Comparator<ByLastUse> NEWEST_USE_FIRST = Comparator.comparing(
            ByLastUse::lastUsedAt, Comparator.nullsLast(Comparator.reverseOrder()));

    private final Path sessionsDir;
    private final RecordFiles files;
    private final Clock clock;
    /** Set once the directory was created or checked: it is checked once per store, not per read. */
    private volatile boolean trusted;

    public SessionStore(Path acpxHome, ObjectMapper mapper, Clock clock) {
        this.sessionsDir = acpxHome.toAbsolutePath().normalize().resolve("sessions");
        this.files = new RecordFiles(mapper);
        this.clock = clock;
    }

    public Path sessionsDir() {
        return sessionsDir;
    }

    public Clock clock() {
        return clock;
    }

    // --- single records ---------------------------------------------------------------------

    /**
     * Writes the record durably and atomically (see {@link RecordFiles#writeAtomically}) under its
     * lock, as it is: meant for a record this process just created. A change to a record that may
     * exist on disk goes through {@link #update}, which re-reads it first.
     */
    public void save(SessionRecord record) {
        underRecordLock(record.acpxRecordId(), () -> {
            write(record);
            return null;
        });
    }

    /**
     * Read-modify-write of one record under its per-record OS lock (as mvnd's
     * {@code DaemonRegistry.doUpdate}): lock, read the record from disk, let {@code change} modify
     * it, write it atomically if {@code change} returned true, unlock. So no process undoes a change
     * another one made in between, whatever the interleaving.
     *
     * @return the record as it is on disk afterwards; empty when there is no such record (nothing
     *         is written then: a deleted record is never brought back by an update)
     */
    public Optional<SessionRecord> update(String recordId, Predicate<SessionRecord> change) {
        return underRecordLock(recordId, () -> {
            Optional<SessionRecord> fresh = load(recordId);
            if (fresh.isPresent() && change.test(fresh.get())) {
                write(fresh.get());
            }
            return fresh;
        });
    }

    /**
     * {@link #update}, starting from a copy of {@code initial} when the record does not exist yet
     * or cannot be read (a corrupt file is replaced: the caller's view is the better one).
     */
    public SessionRecord updateOrCreate(SessionRecord initial, Predicate<SessionRecord> change) {
        return underRecordLock(initial.acpxRecordId(), () -> {
            Optional<SessionRecord> fresh;
            try {
                fresh = load(initial.acpxRecordId());
            } catch (CorruptRecordException corrupt) {
                fresh = Optional.empty();
            }
            SessionRecord r = fresh.orElseGet(initial::copy);
            boolean changed = change.test(r);
            if (changed || fresh.isEmpty()) {
                write(r);
            }
            return r;
        });
    }

    /** The lock file serializing every writer of one record, in any process of this host. */
    public Path recordLock(String recordId) {
        return sessionsDir.resolve(RecordFiles.lockName(recordId));
    }

    private void write(SessionRecord record) {
        try {
            files.writeAtomically(sessionsDir, record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write session record " + record.acpxRecordId()
                    + " in " + sessionsDir + ": " + e.getMessage() + " (check disk space and permissions)", e);
        }
    }

    private <T> T underRecordLock(String recordId, Supplier<T> action) {
        ensureDirectory();
        return underLock(recordLock(recordId), RECORD_LOCK_TIMEOUT, action);
    }

    /** The record with this id; empty when there is none; {@link CorruptRecordException} if unreadable. */
    public Optional<SessionRecord> load(String recordId) {
        if (!checkDirectory()) {
            return Optional.empty();
        }
        Path file = sessionsDir.resolve(RecordFiles.fileName(recordId));
        try {
            return Optional.of(files.read(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read session record " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the record file and its lock file, under that lock; true if there was a record. Its
     * event log files are left alone. A writer that waited for the lock finds no record and writes
     * nothing ({@link #update} never recreates one).
     */
    public boolean delete(String recordId) {
        return underRecordLock(recordId, () -> {
            try {
                boolean existed = Files.deleteIfExists(sessionsDir.resolve(RecordFiles.fileName(recordId)));
                Files.deleteIfExists(recordLock(recordId));
                return existed;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete session record " + recordId + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * Every readable record, newest use first, plus one problem per unreadable {@code *.json} file.
     * Temp files ({@code *.tmp}), event logs ({@code *.stream.ndjson}) and {@code index.json} are
     * not records and are ignored.
     */
    public LoadResult list() {
        List<SessionRecord> records = new ArrayList<>();
        List<LoadResult.Problem> problems = new ArrayList<>();
        if (!checkDirectory()) {
            return new LoadResult(List.of(), List.of());
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(sessionsDir, "*.json")) {
            for (Path file : dir) {
                String name = file.getFileName().toString();
                if (name.equals("index.json") || !Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    records.add(files.read(file));
                } catch (CorruptRecordException e) {
                    problems.add(new LoadResult.Problem(name, e.getMessage()));
                } catch (NoSuchFileException removedMeanwhile) {
                    // deleted by a concurrent prune: not a problem
                } catch (IOException e) {
                    problems.add(new LoadResult.Problem(name, "cannot read: " + e.getMessage()));
                }
            }
        } catch (NoSuchFileException e) {
            return new LoadResult(List.of(), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list session records in " + sessionsDir + ": " + e.getMessage(), e);
        }
        List<ByLastUse> keyed = new ArrayList<>(records.size());
        for (SessionRecord r : records) {
            keyed.add(new ByLastUse(r.lastUsedAt(), r));
        }
        keyed.sort(NEWEST_USE_FIRST);
        records.clear();
        for (ByLastUse k : keyed) {
            records.add(k.record());
        }
        problems.sort(Comparator.comparing(LoadResult.Problem::fileName));
        return new LoadResult(records, problems);
    }

    // --- scope ------------------------------------------------------------------------------

    /**
     * The session a prompt in {@code cwd} uses: walking from cwd up to the nearest git root
     * (inclusive; only cwd itself when there is none), the open record of this agent command and
     * name in the nearest directory; several there: the most recently used, as the Node acpx picks.
     */
    public Optional<SessionRecord> findForPrompt(String agentCommand, Path cwd, String nameOrNull) {
        return findForPrompt(new SessionScope(agentCommand, cwd, nameOrNull));
    }

    public Optional<SessionRecord> findForPrompt(SessionScope scope) {
        List<String> dirs = ScopeWalk.directories(scope.cwd());
        SessionRecord best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (SessionRecord r : list().records()) { // newest first: the first hit at a distance wins
            // One-shot records (an embedding JVM's, or exec's) are never a prompt's or ensure's target.
            if (r.closed() || r.isOneShot() || !scope.sameAgentAndName(r)) {
                continue;
            }
            int distance = dirs.indexOf(r.cwd());
            if (distance >= 0 && distance < bestDistance) {
                best = r;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Where a prompt's lookup from {@code cwd} stops: the nearest git root, else cwd itself. */
    public String walkBoundary(Path cwd) {
        List<String> dirs = ScopeWalk.directories(cwd);
        return dirs.get(dirs.size() - 1);
    }

    /** {@code sessions ensure}: the nearest open record for the scope, or a new persistent one. */
    public SessionRecord ensure(String agentCommand, Path cwd, String nameOrNull) {
        return ensure(new SessionScope(agentCommand, cwd, nameOrNull), SessionRecord.MODE_PERSISTENT);
    }

    public SessionRecord ensure(SessionScope scope, String mode) {
        return underScopeLock(() -> findForPrompt(scope).orElseGet(() -> createLocked(scope, mode)));
    }

    /** {@code sessions new}: soft-closes the open records of exactly this scope, then creates one. */
    public SessionRecord createFresh(String agentCommand, Path cwd, String nameOrNull) {
        return createFresh(new SessionScope(agentCommand, cwd, nameOrNull), SessionRecord.MODE_PERSISTENT);
    }

    public SessionRecord createFresh(SessionScope scope, String mode) {
        return underScopeLock(() -> {
            String cwd = scope.cwd().toString();
            for (SessionRecord r : list().records()) {
                if (!r.closed() && !r.isOneShot() && cwd.equals(r.cwd()) && scope.sameAgentAndName(r)) {
                    close(r, "replaced by sessions new");
                }
            }
            return createLocked(scope, mode);
        });
    }

    /**
     * Soft-closes under the record's lock, on the record as it is on disk then (what the caller
     * holds in memory is not written back): closed, closed_at, closed_reason set; pids dropped.
     * {@code record} is updated to what was written too; one not on disk yet is written closed.
     */
    public SessionRecord close(SessionRecord record, String reason) {
        Instant now = clock.instant();
        SessionRecord written = updateOrCreate(record, r -> {
            closeFields(r, reason, now);
            return true;
        });
        closeFields(record, reason, now);
        return written;
    }

    private static void closeFields(SessionRecord r, String reason, Instant now) {
        r.setClosed(true);
        r.setClosedAt(now);
        r.setClosedReason(reason);
        r.clearProcesses();
    }

    private SessionRecord createLocked(SessionScope scope, String mode) {
        SessionRecord record = SessionRecord.create(UUID.randomUUID().toString(), scope, mode, clock.instant());
        record.json().set("event_log", defaultEventLog(record.acpxRecordId()));
        save(record);
        return record;
    }

    /**
     * The journal settings a new record starts with, as the Node acpx writes them at creation
     * (SPEC-P2 §1.1; its {@code segment_count} starts at the number of segments kept). The id is a
     * UUID, so its file name needs no encoding.
     */
    private com.fasterxml.jackson.databind.node.ObjectNode defaultEventLog(String recordId) {
        var log = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        log.put("active_path", sessionsDir.resolve(recordId + ".stream.ndjson").toString());
        log.put("segment_count", 5);
        log.put("max_segment_bytes", 67108864L);
        log.put("max_segments", 5);
        log.putNull("last_write_error");
        return log;
    }

    private <T> T underScopeLock(Supplier<T> action) {
        ensureDirectory();
        return underLock(sessionsDir.resolve(".lock"), SCOPE_LOCK_TIMEOUT, action);
    }

    private static <T> T underLock(Path lockFile, Duration timeout, Supplier<T> action) {
        try {
            Optional<HostFileLock> lock = HostFileLock.lock(lockFile, timeout);
            if (lock.isEmpty()) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds()
                        + " s waiting for " + lockFile + ", held by another acpx process;"
                        + " retry, or find the stuck process with `fuser " + lockFile + "`");
            }
            try (HostFileLock held = lock.get()) {
                return action.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + lockFile, e);
        }
    }

    /** Creates the sessions directory 0700, or refuses one another user controls. */
    private void ensureDirectory() {
        try {
            RecordFiles.createPrivateDirectory(sessionsDir);
            trusted = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + sessionsDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Before reading: false when there is no sessions directory (nothing to read, nothing
     * created); {@link dev.acpx.core.lifecycle.UntrustedDirectoryException} when another user
     * controls it, since records name the programs and directories acpx works with.
     */
    private boolean checkDirectory() {
        if (trusted) {
            return true;
        }
        if (!Files.exists(sessionsDir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            PrivateFiles.checkTrusted(sessionsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + sessionsDir + ": " + e.getMessage(), e);
        }
        trusted = true;
        return true;
    }
}
