package dev.acpx.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFileLockTest {

    @TempDir
    Path dir;

    @Test
    void inJvmProbesDoNotDropTheLockForOtherProcesses() throws Exception {
        Path file = dir.resolve("x.lock");
        try (HostFileLock held = HostFileLock.tryLock(file).orElseThrow()) {
            // A naive probe would open and close a second channel here, which drops the fcntl lock.
            assertTrue(HostFileLock.isHeld(file));
            assertTrue(CompletableFuture.supplyAsync(() -> HostFileLock.isHeld(file), r -> Thread.ofVirtual().start(r)).get());
            assertTrue(HostFileLock.tryLock(file).isEmpty());
            try (ChildJvm probe = ChildJvm.start(LockProbeMain.class, file.toString())) {
                assertEquals("HELD", probe.readLine(60));
            }
        }
        assertFalse(HostFileLock.isHeld(file));
        try (ChildJvm probe = ChildJvm.start(LockProbeMain.class, file.toString())) {
            assertEquals("FREE", probe.readLine(60));
        }
    }

    @Test
    void lockWaitsForAnotherThreadAndReleaseMayComeFromAnyThread() throws Exception {
        Path file = dir.resolve("y.lock");
        HostFileLock first = HostFileLock.tryLock(file).orElseThrow();
        assertTrue(HostFileLock.lock(file, Duration.ofMillis(50)).isEmpty());
        // Own threads, not the common pool: with 2 cores it has one worker, which the waiter would block.
        CompletableFuture<Optional<HostFileLock>> waiter = new CompletableFuture<>();
        Thread waiting = Thread.ofPlatform().start(() -> {
            try {
                waiter.complete(HostFileLock.lock(file, Duration.ofSeconds(30)));
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        // Blocked (on the in-JVM semaphore or between polls) is the state to release it from.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (waiting.getState() != Thread.State.WAITING && waiting.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the waiter never blocked: " + waiting.getState());
            Thread.sleep(5);
        }
        assertFalse(waiter.isDone());
        Thread closer = Thread.ofPlatform().start(first::close);
        closer.join();
        waiter.get().orElseThrow().close();
    }
}
