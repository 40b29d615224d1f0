package dev.acpx.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.core.lifecycle.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which process gets ended as a stuck owner: the kernel's holder of the session's owner lock,
 * and only when its command line makes it an owner of that very session. A process holding the
 * lock for another reason (an embedding JVM) is never signalled.
 */
@Timeout(60)
class OwnerRetirementTest {
    private static final String RECORD = "stuck-record";

    @TempDir
    Path home;

    @Test
    void theLockHolderIsFoundThroughTheKernel() throws Exception {
        QueuePaths paths = new QueuePaths(home);
        paths.ensureDirectory();
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, paths.ownerLock(RECORD).toString())) {
            assertEquals("LOCKED", holder.readLine(30));
            assertEquals(List.of(holder.process().pid()), OwnerRetirement.lockHolders(paths.ownerLock(RECORD)));
        }
    }

    @Test
    void aHolderThatIsNoOwnerOfThisSessionIsNeverSignalled() throws Exception {
        QueuePaths paths = new QueuePaths(home);
        paths.ensureDirectory();
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, paths.ownerLock(RECORD).toString(),
                OwnerLaunch.RECORD_ID_FLAG, "another-record")) {
            assertEquals("LOCKED", holder.readLine(30));
            OwnerRetirement retirement = new OwnerRetirement(paths);
            assertEquals(Optional.empty(), retirement.retire(RECORD, false, Optional.of(holder.process().pid())));
            assertTrue(holder.process().isAlive(), "the holder lives on");
        }
    }

    @Test
    void anOwnerOfThisSessionIsKilledAndTheLockFreed() throws Exception {
        QueuePaths paths = new QueuePaths(home);
        paths.ensureDirectory();
        try (ChildJvm owner = ChildJvm.start(LockHolderMain.class, paths.ownerLock(RECORD).toString(),
                OwnerLaunch.RECORD_ID_FLAG, RECORD)) {
            assertEquals("LOCKED", owner.readLine(30));
            assertEquals(Optional.of(owner.process().pid()), new OwnerRetirement(paths).retire(RECORD, false,
                    Optional.empty()));
            assertTrue(owner.process().waitFor(10, TimeUnit.SECONDS), "the owner was killed");
            assertEquals(List.of(), OwnerRetirement.lockHolders(paths.ownerLock(RECORD)), "the kernel freed the lock");
        }
    }
}
