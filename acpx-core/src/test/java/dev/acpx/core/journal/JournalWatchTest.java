package dev.acpx.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxException;
import dev.acpx.core.jsonrpc.Direction;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalWatchTest {
    @TempDir
    Path tmp;

    /** A session whose owner and open state the test sets. */
    static final class Probe implements JournalWatch.Session {
        final AtomicBoolean owner = new AtomicBoolean(true);
        final AtomicBoolean open = new AtomicBoolean(true);

        @Override public boolean ownerAlive() { return owner.get(); }
        @Override public boolean open() { return open.get(); }
    }

    @Test
    void followsALiveTurnAndEndsOnceTheSessionIsClosed() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        Probe probe = new Probe();
        List<JournalEvent> seen = new CopyOnWriteArrayList<>();
        JournalWatch watch = new JournalWatch(f.reader(), "rec-1", probe);
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                watch.run(null, seen::add, () -> false);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        w.turnStarted("live");
        w.message(Direction.IN, JournalFixture.update("one"));
        waitFor(() -> seen.size() == 2);
        w.message(Direction.IN, JournalFixture.update("two"));
        w.turnResult("live", new TurnOutcome.Stopped("end_turn"));
        waitFor(() -> seen.size() == 4);
        probe.owner.set(false);
        Thread.sleep(300);
        assertTrue(!done.isDone(), "an open session without an owner is still watched");
        probe.open.set(false);
        done.get(30, TimeUnit.SECONDS);
        assertEquals(JournalEvent.Type.TURN_RESULT, seen.get(3).type());
    }

    @Test
    void anOwnerGoneMidTurnEndsTheWatchWithOutcomeUnknown() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        w.turnStarted("orphan");
        w.message(Direction.IN, JournalFixture.update("partial"));
        Probe probe = new Probe();
        probe.owner.set(false);
        List<JournalEvent> seen = new CopyOnWriteArrayList<>();
        AcpxException e = assertThrows(AcpxException.class,
                () -> new JournalWatch(f.reader(), "rec-1", probe).run(null, seen::add, () -> false));
        assertEquals("WATCH_OUTCOME_UNKNOWN", e.detail());
        assertTrue(e.getMessage().startsWith("Session owner ended without a settled result for request orphan;"));
        assertEquals(2, seen.size());
    }

    @Test
    void resumesFromACursorAndStopsWhenAsked() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        JournalFixture.turn(w, "a", 1, 3);
        JournalFixture.turn(w, "b", 2, 3);
        List<JournalEvent> all = f.all();
        String cursor = WatchCursor.encode("rec-1", all.get(6).sequence());
        Probe probe = new Probe();
        List<JournalEvent> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                new JournalWatch(f.reader(), "rec-1", probe).run(cursor, seen::add, stop::get);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waitFor(() -> seen.size() == all.size() - 7);
        stop.set(true);
        done.get(30, TimeUnit.SECONDS);
        assertEquals(all.subList(7, all.size()).stream().map(JournalEvent::sequence).toList(),
                seen.stream().map(JournalEvent::sequence).toList());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
