package dev.acpx.core.daemon;

import dev.acpx.core.process.ProcessProbe;
import dev.acpx.core.queue.OwnerLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Ends a daemon that must not be used: one of another build (asked first, SIGTERM, so its sessions
 * close and write their records) or a stuck one (SIGKILL, which ends a stopped process too). The
 * process is found by the daemon's identity file and checked by its command line to be the daemon
 * of this very acpx home; its agent trees are ended with it.
 */
final class DaemonRetirement {
    static final Duration RETIRE_GRACE = Duration.ofSeconds(5);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final DaemonPaths paths;

    DaemonRetirement(DaemonPaths paths) {
        this.paths = paths;
    }

    /** The live daemon process of this home named by the identity file, if any. */
    Optional<ProcessHandle> daemon() {
        try {
            String[] parts = Files.readString(paths.identity(), StandardCharsets.UTF_8).trim().split(" ");
            return ProcessHandle.of(Long.parseLong(parts[0])).filter(ProcessHandle::isAlive)
                    .filter(h -> servesHome(h, paths.acpxHome()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Ends the daemon; returns its pid, or empty when no daemon process of this home was found. */
    Optional<Long> retire(boolean gracefully) {
        Optional<ProcessHandle> daemon = daemon();
        daemon.ifPresent(p -> {
            // Taken while it lives: once it is gone its agents are no longer its descendants.
            List<ProcessHandle> tree = p.descendants().toList();
            if (gracefully) {
                p.destroy();
                ProcessProbe.awaitGone(p, RETIRE_GRACE);
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            tree.forEach(ProcessHandle::destroyForcibly);
            ProcessProbe.awaitGone(p, KILL_WAIT);
        });
        return daemon.map(ProcessHandle::pid);
    }

    static boolean servesHome(ProcessHandle h, Path acpxHome) {
        List<String> args = ProcessProbe.arguments(h);
        int i = args.indexOf(OwnerLaunch.DAEMON_FLAG);
        return i >= 0 && i + 1 < args.size() && Path.of(args.get(i + 1)).toAbsolutePath().normalize().equals(acpxHome);
    }

}
