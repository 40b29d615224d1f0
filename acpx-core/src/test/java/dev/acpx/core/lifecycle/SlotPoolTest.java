package dev.acpx.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotPoolTest {

    @TempDir
    Path home;

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);

    private Path slots() {
        return home.resolve("slots");
    }

    private HolderInfo who(String id) {
        return HolderInfo.ofCurrentProcess(id, "node agent.mjs in /x/" + id, clock.instant());
    }

    @Test
    void fullPoolNamesItsHoldersAndReleaseFreesASlot() throws Exception {
        SlotPool pool = new SlotPool(slots(), 2, clock);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(slots())));
        Slot a = pool.tryAcquire(who("rec-a")).orElseThrow();
        Slot b = pool.tryAcquire(who("rec-b")).orElseThrow();
        assertTrue(pool.tryAcquire(who("rec-c")).isEmpty());
        assertEquals(List.of("rec-a", "rec-b"), pool.liveHolders().stream().map(HolderInfo::sessionId).toList());

        SlotsFullException full = assertThrows(SlotsFullException.class,
                () -> pool.acquire(who("rec-c"), Duration.ofMillis(150)));
        String msg = full.getMessage();
        assertTrue(msg.startsWith("maxConcurrentSessions (2) reached: held by rec-a (node agent.mjs in /x/rec-a, pid "
                + ProcessHandle.current().pid() + ")"), msg);
        assertTrue(msg.contains("rec-b (node agent.mjs in /x/rec-b"), msg);
        assertTrue(msg.contains("acpx sessions close"), msg);

        a.close();
        assertEquals(List.of("rec-b"), pool.liveHolders().stream().map(HolderInfo::sessionId).toList());
        try (Slot c = pool.acquire(who("rec-c"), Duration.ofSeconds(1))) {
            assertEquals(0, c.index());
        }
        b.close();
        assertTrue(pool.liveHolders().isEmpty());
    }

    @Test
    void acquireWaitsForASlotFreedByAnotherThread() throws Exception {
        SlotPool pool = new SlotPool(slots(), 1, clock);
        Slot held = pool.tryAcquire(who("first")).orElseThrow();
        Thread releaser = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            held.close();
        });
        try (Slot s = pool.acquire(who("second"), Duration.ofSeconds(5))) {
            assertEquals("second", s.holder().sessionId());
        }
        releaser.join();
    }

    @Test
    void twoPoolsInOneJvmShareTheLimit() {
        SlotPool host1 = new SlotPool(slots(), 2, clock);
        SlotPool host2 = new SlotPool(home.resolve("./slots/../slots"), 2, clock);
        Slot a = host1.tryAcquire(who("one")).orElseThrow();
        Slot b = host2.tryAcquire(who("two")).orElseThrow();
        assertTrue(host1.tryAcquire(who("three")).isEmpty());
        assertTrue(host2.tryAcquire(who("three")).isEmpty());
        assertEquals(2, host2.liveHolders().size());
        b.close();
        host1.tryAcquire(who("three")).orElseThrow().close();
        a.close();
    }

    @Test
    void aSlotOfASigkilledProcessIsFreeAtOnce() throws Exception {
        SlotPool pool = new SlotPool(slots(), 1, clock);
        try (ChildJvm child = ChildJvm.start(SlotHolderMain.class, slots().toString(), "1", "child-rec")) {
            assertEquals("HELD 0", child.readLine(60));
            List<HolderInfo> holders = pool.liveHolders();
            assertEquals(1, holders.size());
            assertEquals("child-rec", holders.get(0).sessionId());
            assertEquals(child.process().pid(), holders.get(0).pid());
            assertTrue(pool.tryAcquire(who("parent")).isEmpty());

            child.kill();
            // No cleanup step, no waiting: the kernel dropped the lock with the process.
            Optional<Slot> slot = pool.tryAcquire(who("parent"));
            assertTrue(slot.isPresent());
            assertEquals("parent", pool.liveHolders().get(0).sessionId());
            slot.get().close();
        }
    }

    @Test
    void removingTheSlotsDirectoryUnderALiveHolderDoesNotLiftTheLimit() throws Exception {
        try (ChildJvm child = ChildJvm.start(SlotHolderMain.class, slots().toString(), "1", "child-rec")) {
            assertEquals("HELD 0", child.readLine(60));
            try (var files = Files.walk(slots())) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            SlotPool pool = new SlotPool(slots(), 1, clock);
            assertTrue(pool.tamperProof(), "the test JVM should reach the kernel (see the acpx-core pom)");
            assertTrue(pool.tryAcquire(who("parent")).isEmpty(), "rm -rf slots/ lifted the limit");
            List<HolderInfo> holders = pool.liveHolders();
            assertEquals(1, holders.size(), holders.toString());
            // Its note went with the directory; the kernel still names the holding process.
            assertEquals(child.process().pid(), holders.get(0).pid(), holders.toString());

            child.kill();
            pool.tryAcquire(who("parent")).orElseThrow().close();
        }
    }

    @Test
    void withoutTheKernelTheFileLocksAloneKeepTheLimit() throws Exception {
        SlotPool pool = new SlotPool(slots(), 1, clock, new com.fasterxml.jackson.databind.ObjectMapper(),
                new dev.acpx.core.os.Kernel.Unavailable("test"));
        assertTrue(!pool.tamperProof());
        try (ChildJvm child = ChildJvm.start(SlotHolderMain.class, slots().toString(), "1", "child-rec")) {
            assertEquals("HELD 0", child.readLine(60));
            assertTrue(pool.tryAcquire(who("parent")).isEmpty());
            assertEquals(List.of("child-rec"), pool.liveHolders().stream().map(HolderInfo::sessionId).toList());
            child.kill();
            pool.tryAcquire(who("parent")).orElseThrow().close();
        }
    }

    @Test
    void loweringTheMaxStillCountsHoldersAboveIt() {
        SlotPool wide = new SlotPool(slots(), 3, clock);
        wide.tryAcquire(who("s0")).orElseThrow().close();
        Slot s1 = wide.tryAcquire(who("s1")).orElseThrow(); // takes slot 0 again
        Slot s2 = wide.tryAcquire(who("s2")).orElseThrow(); // slot 1
        Slot s3 = wide.tryAcquire(who("s3")).orElseThrow(); // slot 2
        s1.close();
        s2.close();
        // slot 2 held, slots 0 and 1 free: a pool with max 1 must see the limit reached.
        SlotPool narrow = new SlotPool(slots(), 1, clock);
        assertTrue(narrow.tryAcquire(who("x")).isEmpty());
        assertEquals(List.of("s3"), narrow.liveHolders().stream().map(HolderInfo::sessionId).toList());
        SlotPool two = new SlotPool(slots(), 2, clock);
        Slot y = two.tryAcquire(who("y")).orElseThrow();
        assertTrue(two.tryAcquire(who("z")).isEmpty());
        y.close();
        s3.close();
        narrow.tryAcquire(who("x")).orElseThrow().close();
    }
}
