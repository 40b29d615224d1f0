package dev.acpx.core.queue;

import dev.acpx.core.process.ProcessProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ends a queue owner that must not be used: one that is stuck (it holds the session and accepts
 * connections, but does not answer: stopped, wedged) or that runs another build. The process is
 * found through the kernel, as the holder of the session's owner lock in {@code /proc/locks} (the
 * spawn note as a fallback), and checked to be an owner process of this very session by its
 * command line, so an embedding JVM that holds a session is never touched. Its agent tree goes
 * with it; the kernel then frees the lock, and a new owner can start.
 */
final class OwnerRetirement {
    /** How long an owner asked to leave (SIGTERM) may take before it is killed. */
    static final Duration RETIRE_GRACE = Duration.ofSeconds(5);
    /** How long to wait for a killed owner to be gone (a SIGKILLed process goes at once, even stopped). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final QueuePaths paths;

    OwnerRetirement(QueuePaths paths) {
        this.paths = paths;
    }

    /**
     * Ends the owner of {@code recordId}: with {@code gracefully} it is asked first (SIGTERM: it
     * closes its agent and writes the record), else killed at once (SIGKILL, which also ends a
     * stopped process). Returns the pid it ended, or empty when no owner process of this session
     * holds the lock (nothing was signalled).
     */
    Optional<Long> retire(String recordId, boolean gracefully, Optional<Long> spawnedPid) {
        Optional<ProcessHandle> owner = owner(recordId, spawnedPid);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle p = owner.get();
        // Taken while the owner lives: once it is gone its children are no longer its descendants.
        List<ProcessHandle> tree = p.descendants().toList();
        if (gracefully) {
            p.destroy();
            ProcessProbe.awaitGone(p, RETIRE_GRACE);
        }
        if (p.isAlive()) {
            p.destroyForcibly();
        }
        // Its agents run in process groups of their own; the owner's watchdog would end them after a
        // grace, but a stuck owner's tree may be stuck too: end what was seen now.
        tree.forEach(ProcessHandle::destroyForcibly);
        ProcessProbe.awaitGone(p, KILL_WAIT);
        return Optional.of(p.pid());
    }

    /** The live owner process of {@code recordId}: the owner lock's holder, else the spawned process. */
    Optional<ProcessHandle> owner(String recordId, Optional<Long> spawnedPid) {
        List<Long> candidates = new ArrayList<>(lockHolders(paths.ownerLock(recordId)));
        spawnedPid.ifPresent(candidates::add);
        long self = ProcessHandle.current().pid();
        return candidates.stream().filter(pid -> pid != self).map(ProcessHandle::of).flatMap(Optional::stream)
                .filter(ProcessHandle::isAlive).filter(h -> servesRecord(h, recordId)).findFirst();
    }

    /** True when the process runs a queue owner for {@code recordId} (its arguments say so). */
    static boolean servesRecord(ProcessHandle h, String recordId) {
        List<String> list = ProcessProbe.arguments(h);
        int i = list.indexOf(OwnerLaunch.RECORD_ID_FLAG);
        // A daemon serves many sessions; it is a candidate here only as the holder of this session's
        // owner lock, and ending it ends all of them (it is stuck or of another build for all alike).
        return i >= 0 && i + 1 < list.size() && list.get(i + 1).equals(recordId)
                || list.contains(OwnerLaunch.DAEMON_FLAG);
    }

    /**
     * The pids holding a POSIX lock on {@code file}, from {@code /proc/locks} (matched by inode; the
     * caller checks each pid's command line, so an inode equal on another device does no harm).
     */
    static List<Long> lockHolders(Path file) {
        List<Long> pids = new ArrayList<>();
        long inode;
        List<String> lines;
        try {
            inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            lines = Files.readAllLines(Path.of("/proc/locks"), StandardCharsets.US_ASCII);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return pids; // no lock file or no /proc: the spawn note is all there is
        }
        for (String line : lines) {
            // "1: POSIX  ADVISORY  WRITE 4242 fd:01:1234567 0 EOF"; lines with "->" are waiters.
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || line.contains("->") || !f[1].equals("POSIX")) {
                continue;
            }
            String[] id = f[5].split(":");
            try {
                if (id.length == 3 && Long.parseLong(id[2]) == inode) {
                    pids.add(Long.parseLong(f[4]));
                }
            } catch (NumberFormatException e) {
                // a line in a format we do not know: skip it
            }
        }
        return pids;
    }

}
