package dev.acpx.core.daemon;

import dev.acpx.core.queue.OwnerLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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
                awaitGone(p, RETIRE_GRACE);
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitGone(p, KILL_WAIT);
        });
        return daemon.map(ProcessHandle::pid);
    }

    /** True when the process is stopped (SIGSTOP, a debugger): it cannot answer until continued. */
    static boolean stopped(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static boolean servesHome(ProcessHandle h, Path acpxHome) {
        List<String> args = Arrays.asList(h.info().arguments().orElseGet(() -> cmdline(h.pid())));
        int i = args.indexOf(OwnerLaunch.DAEMON_FLAG);
        return i >= 0 && i + 1 < args.size() && Path.of(args.get(i + 1)).toAbsolutePath().normalize().equals(acpxHome);
    }

    private static String[] cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8).split("\0");
        } catch (IOException e) {
            return new String[0];
        }
    }

    private static void awaitGone(ProcessHandle p, Duration max) {
        try {
            p.onExit().get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // still there: the caller carries on, and the lock tells the truth
        }
    }
}
