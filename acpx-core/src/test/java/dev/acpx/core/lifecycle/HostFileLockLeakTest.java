package dev.acpx.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long-lived host locks a new file per one-shot session (each has a fresh record id): the lock's
 * channel must close when its last user lets go, or the host runs out of descriptors.
 */
class HostFileLockLeakTest {

    @TempDir
    Path dir;

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void twoThousandOneShotLocksLeaveTheDescriptorCountFlat() throws Exception {
        // Warm up whatever the first lock loads (classes, the table) before the baseline.
        HostFileLock.tryLock(dir.resolve("warm.lock")).orElseThrow().close();
        long before = openDescriptors();
        for (int i = 0; i < 2000; i++) {
            Path file = dir.resolve("session-" + i + ".lock");
            try (HostFileLock held = HostFileLock.tryLock(file).orElseThrow()) {
                assertTrue(HostFileLock.isHeld(file), "lock " + i + " is held while open");
            }
            HostFileLock.lock(file, java.time.Duration.ofSeconds(5)).orElseThrow().close();
        }
        long after = openDescriptors();
        System.out.println("descriptors before/after 2,000 lock files: " + before + " / " + after);
        // A little slack for descriptors other threads of the test JVM open meanwhile; a leak is 2,000.
        assertTrue(after - before < 20, "open descriptors went from " + before + " to " + after);
    }

    @Test
    void aChannelStaysOpenWhileAnotherThreadWaitsAndClosesAfterTheLastUser() throws Exception {
        Path file = dir.resolve("shared.lock");
        long before = openDescriptors();
        HostFileLock first = HostFileLock.tryLock(file).orElseThrow();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                HostFileLock.lock(file, java.time.Duration.ofSeconds(60)).orElseThrow().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // The waiter may or may not have joined the entry yet; either way the holder's release
        // must not close a channel the waiter then uses, and the child must see the lock as held
        // until the waiter is done.
        try (ChildJvm probe = ChildJvm.start(LockProbeMain.class, file.toString())) {
            assertEquals("HELD", probe.readLine(60));
        }
        first.close();
        waiter.join(60_000);
        assertTrue(!waiter.isAlive(), "the waiter got the lock after the holder released it");
        try (ChildJvm probe = ChildJvm.start(LockProbeMain.class, file.toString())) {
            assertEquals("FREE", probe.readLine(60));
        }
        assertTrue(openDescriptors() - before < 20, "the channel was closed after its last user");
    }
}
