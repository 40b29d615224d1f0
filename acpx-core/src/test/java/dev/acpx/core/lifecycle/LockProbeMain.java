package dev.acpx.core.lifecycle;

import java.nio.file.Path;

/** Child process for tests: prints HELD or FREE for a lock file, as another process sees it. */
public final class LockProbeMain {
    public static void main(String[] args) {
        System.out.println(HostFileLock.isHeld(Path.of(args[0])) ? "HELD" : "FREE");
    }
}
