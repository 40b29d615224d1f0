package dev.acpx.core.queue;

import dev.acpx.core.lifecycle.HostFileLock;
import java.nio.file.Path;

/**
 * Child process for tests: takes the lock on a file, says LOCKED, then waits to be killed. Its
 * other arguments are only there to be seen in its command line (a fake owner's {@code --record-id}).
 */
public final class LockHolderMain {
    public static void main(String[] args) throws Exception {
        HostFileLock lock = HostFileLock.tryLock(Path.of(args[0]))
                .orElseThrow(() -> new IllegalStateException("the lock is held already"));
        System.out.println("LOCKED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        lock.close();
    }
}
