package dev.acpx.core.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.lifecycle.HostFileLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
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
import java.util.function.Supplier;

/**
 * The session records under {@code <acpxHome>/sessions}: durable atomic writes, tolerant listing,
 * scope lookup, and find-then-create under a host-wide file lock so that concurrent
 * {@code sessions ensure} callers in any number of processes agree on one record.
 */
public final class SessionStore {

    /** How long a scope operation waits for another process's scope operation to finish. */
    static final Duration SCOPE_LOCK_TIMEOUT = Duration.ofSeconds(30);

    /** A record with its last use parsed once: sorting 1,000 records compares ~10,000 times. */
    private record ByLastUse(Instant lastUsedAt, SessionRecord record) {}

    private static final Comparator<ByLastUse> NEWEST_USE_FIRST = Comparator.comparing(
            ByLastUse::lastUsedAt, Comparator.nullsLast(Comparator.reverseOrder()));

    private final Path sessionsDir;
    private final RecordFiles files;
    private final Clock clock;

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

    /** Writes the record durably and atomically (see {@link RecordFiles#writeAtomically}). */
    public void save(SessionRecord record) {
        try {
            RecordFiles.createPrivateDirectory(sessionsDir);
            files.writeAtomically(sessionsDir, record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write session record " + record.acpxRecordId()
                    + " in " + sessionsDir + ": " + e.getMessage() + " (check disk space and permissions)", e);
        }
    }

    /** The record with this id; empty when there is none; {@link CorruptRecordException} if unreadable. */
    public Optional<SessionRecord> load(String recordId) {
        Path file = sessionsDir.resolve(RecordFiles.fileName(recordId));
        try {
            return Optional.of(files.read(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read session record " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the record file; true if there was one. Its event log files are left alone. */
    public boolean delete(String recordId) {
        try {
            return Files.deleteIfExists(sessionsDir.resolve(RecordFiles.fileName(recordId)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete session record " + recordId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every readable record, newest use first, plus one problem per unreadable {@code *.json} file.
     * Temp files ({@code *.tmp}), event logs ({@code *.stream.ndjson}) and {@code index.json} are
     * not records and are ignored.
     */
    public LoadResult list() {
        List<SessionRecord> records = new ArrayList<>();
        List<LoadResult.Problem> problems = new ArrayList<>();
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

    /** Soft-closes: closed, closed_at, closed_reason set; pids dropped; saved. */
    public SessionRecord close(SessionRecord record, String reason) {
        Instant now = clock.instant();
        record.setClosed(true);
        record.setClosedAt(now);
        record.setClosedReason(reason);
        record.clearProcesses();
        save(record);
        return record;
    }

    private SessionRecord createLocked(SessionScope scope, String mode) {
        SessionRecord record = SessionRecord.create(UUID.randomUUID().toString(), scope, mode, clock.instant());
        save(record);
        return record;
    }

    private <T> T underScopeLock(Supplier<T> action) {
        Path lockFile = sessionsDir.resolve(".lock");
        try {
            RecordFiles.createPrivateDirectory(sessionsDir);
            Optional<HostFileLock> lock = HostFileLock.lock(lockFile, SCOPE_LOCK_TIMEOUT);
            if (lock.isEmpty()) {
                throw new IllegalStateException("timed out after " + SCOPE_LOCK_TIMEOUT.toSeconds()
                        + " s waiting for " + lockFile + ", held by another acpx process;"
                        + " retry, or find the stuck process with `fuser " + lockFile + "`");
            }
            HostFileLock held = lock.get();
            try {
                return action.get();
            } finally {
                held.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + sessionsDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + lockFile, e);
        }
    }
}
