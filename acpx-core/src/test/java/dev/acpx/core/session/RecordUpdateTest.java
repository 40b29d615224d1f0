package dev.acpx.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.lifecycle.ChildJvm;
import dev.acpx.core.lifecycle.HostFileLock;
import dev.acpx.core.lifecycle.ProcessIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every read-modify-write of a record runs under its per-record OS lock: no writer undoes another's. */
class RecordUpdateTest {

    @TempDir
    Path home;

    private final ObjectMapper mapper = new ObjectMapper();

    private SessionStore store() {
        return new SessionStore(home, mapper, Clock.systemUTC());
    }

    private SessionRecord saved(SessionStore store, String mode) {
        SessionRecord r = SessionRecord.create(java.util.UUID.randomUUID().toString(),
                new SessionScope("agent", Path.of("/w"), null), mode, Instant.now());
        store.save(r);
        return r;
    }

    @Test
    @Timeout(300)
    void twoProcessesAndTwoThreadsIncrementingOneRecordLoseNoUpdate() throws Exception {
        SessionStore store = store();
        String id = saved(store, SessionRecord.MODE_PERSISTENT).acpxRecordId();
        int each = 150;
        List<ChildJvm> children = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int c = 0; c < 2; c++) {
                children.add(ChildJvm.start(RecordUpdaterMain.class, home.toString(), id, "child" + c,
                        Integer.toString(each)));
            }
            for (int t = 0; t < 2; t++) {
                String key = "thread" + t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            store.update(id, r -> {
                                r.json().put(key, r.json().path(key).asInt(0) + 1);
                                r.json().put("total", r.json().path("total").asInt(0) + 1);
                                return true;
                            }).orElseThrow();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (ChildJvm child : children) {
                assertEquals("DONE", child.readLine(240));
                assertTrue(child.process().waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, child.process().exitValue());
            }
            for (Thread t : threads) {
                t.join(240_000);
                assertFalse(t.isAlive(), "an updater thread is stuck");
            }
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("an updater thread failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
        SessionRecord after = store.load(id).orElseThrow();
        for (String key : List.of("child0", "child1", "thread0", "thread1")) {
            assertEquals(each, after.json().path(key).asInt(), key);
        }
        assertEquals(4 * each, after.json().path("total").asInt());
    }

    /**
     * The reaper listed a record whose owner had died; a new owner then writes its pid while the
     * reaper waits for the record's lock. Deciding again under the lock, the reaper keeps the pid.
     */
    @Test
    @Timeout(120)
    void theReaperDoesNotEraseAStartingOwnersPid() throws Exception {
        SessionStore store = store();
        Process gone = new ProcessBuilder("sleep", "60").start();
        ProcessIdentity dead = ProcessIdentity.from(gone.toHandle()).orElseThrow();
        gone.destroyForcibly();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        SessionRecord r = SessionRecord.create("starting-owner", new SessionScope("agent", Path.of("/w"), null),
                SessionRecord.MODE_PERSISTENT, Instant.now());
        r.setOwnerPid(dead.pid());
        r.setOwnerStartedAt(dead.startedAt());
        store.save(r);
        List<SessionRecord> listed = store.list().records(); // the reaper's listing: the owner is dead

        ProcessIdentity owner = ProcessIdentity.current().orElseThrow();
        StaleRecordReaper.Result[] result = new StaleRecordReaper.Result[1];
        Thread reaper;
        // The new owner holds the record's lock mid-write when the reaper reaches the record.
        try (HostFileLock ownerWriting = HostFileLock.tryLock(store.recordLock(r.acpxRecordId())).orElseThrow()) {
            reaper = Thread.ofPlatform().start(() -> result[0] = new StaleRecordReaper(store, Duration.ZERO).reap(listed));
            awaitBlocked(reaper);
            SessionRecord mid = store.load(r.acpxRecordId()).orElseThrow();
            mid.setOwnerPid(owner.pid());
            mid.setOwnerStartedAt(owner.startedAt());
            new RecordFiles(mapper).writeAtomically(store.sessionsDir(), mid); // the owner's write, lock held
        }
        reaper.join(60_000);
        assertFalse(reaper.isAlive());
        SessionRecord after = store.load(r.acpxRecordId()).orElseThrow();
        assertEquals(owner.pid(), after.ownerPid(), "the starting owner's pid survived the reaper");
        assertTrue(result[0].clearedIds().isEmpty() && result[0].closedIds().isEmpty(), result[0].toString());
    }

    private static void awaitBlocked(Thread t) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            assertTrue(t.isAlive() && System.nanoTime() < end, "the reaper never waited for the record lock");
            Thread.sleep(5);
        }
    }

    @Test
    void anUpdateNeverBringsBackADeletedRecordAndDeleteTakesTheLockFileAlong() throws Exception {
        SessionStore store = store();
        SessionRecord r = saved(store, SessionRecord.MODE_PERSISTENT);
        assertTrue(Files.exists(store.recordLock(r.acpxRecordId())));
        assertTrue(store.delete(r.acpxRecordId()));
        assertFalse(Files.exists(store.recordLock(r.acpxRecordId())));
        assertTrue(store.update(r.acpxRecordId(), x -> true).isEmpty());
        assertTrue(store.load(r.acpxRecordId()).isEmpty(), "the update wrote nothing");
    }

    @Test
    void closingRereadsTheRecordAndSkipsWhatTheCallerChangedInMemory() {
        SessionStore store = store();
        SessionRecord r = saved(store, SessionRecord.MODE_PERSISTENT);
        SessionRecord stale = store.load(r.acpxRecordId()).orElseThrow();
        store.update(r.acpxRecordId(), fresh -> {
            fresh.setName("renamed-elsewhere");
            return true;
        });
        stale.setPid(4242L);
        SessionRecord closed = store.close(stale, "sessions close");
        assertEquals("renamed-elsewhere", closed.name(), "a close re-reads the record under its lock");
        assertNull(closed.pid());
        assertEquals("sessions close", store.load(r.acpxRecordId()).orElseThrow().closedReason());
    }

    @Test
    void updatingTwoThousandRecordsLeavesNoDescriptorOpen() throws Exception {
        SessionStore store = store();
        saved(store, SessionRecord.MODE_ONESHOT);
        long before = descriptors();
        for (int i = 0; i < 2000; i++) {
            SessionRecord r = SessionRecord.create("oneshot-" + i, new SessionScope("agent", Path.of("/w"), null),
                    SessionRecord.MODE_ONESHOT, Instant.now());
            store.updateOrCreate(r, x -> true);
        }
        long after = descriptors();
        System.out.println("descriptors before/after 2,000 one-shot record writes: " + before + " / " + after);
        assertTrue(after - before < 20, "open descriptors went from " + before + " to " + after);
    }

    private static long descriptors() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
