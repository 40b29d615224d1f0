package dev.acpx.core.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;

/** What other parts of acpx ask of a daemon that hosts a session, without knowing its protocol. */
public final class DaemonControl {
    private DaemonControl() {}

    /** True when {@code pid} is the daemon of {@code acpxHome} (it hosts many sessions: never signal it for one). */
    public static boolean isDaemon(long pid, Path acpxHome) {
        Path home = acpxHome.toAbsolutePath().normalize();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> DaemonRetirement.servesHome(h, home)).isPresent();
    }

    /**
     * Stops the owner of {@code recordId} in the daemon (its agent tree goes, its record is written),
     * as SIGTERM stops an owner process; returns once it has, or after about {@code wait}.
     */
    public static void stopSession(Path acpxHome, String recordId, Duration wait) {
        new DaemonClient(DaemonPaths.of(acpxHome), new ObjectMapper()).stop(recordId, wait);
    }
}
