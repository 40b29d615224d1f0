package dev.acpx.core.session;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.lifecycle.HostFileLock;
import dev.acpx.core.queue.QueuePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files a deleted record leaves under {@code ~/.acpx/queue} (owner lock, spawn lock and note,
 * owner log, socket): without this, a long-lived host gains five files per one-shot session.
 */
final class PrunedFiles {
    private PrunedFiles() {}

    /**
     * Deletes the record's queue files unless a process still holds its owner lock (an owner or an
     * embedding JVM that has not let go yet): those stay for a later prune. Deleted while holding
     * that lock, so no owner can start on them meanwhile.
     */
    static void deleteQueueFiles(SessionStore store, String recordId) {
        QueuePaths paths = new QueuePaths(store.sessionsDir().getParent());
        if (!Files.isDirectory(paths.directory())) {
            return;
        }
        Path ownerLock = paths.ownerLock(recordId);
        if (!Files.exists(ownerLock)) {
            deleteAll(others(paths, recordId));
            return;
        }
        Optional<HostFileLock> held = HostFileLock.tryLock(ownerLock);
        if (held.isEmpty()) {
            return;
        }
        try (HostFileLock owner = held.get()) {
            List<Path> files = others(paths, recordId);
            files.add(ownerLock);
            deleteAll(files);
        }
    }

    private static List<Path> others(QueuePaths paths, String recordId) {
        List<Path> files = new ArrayList<>(List.of(paths.spawnNote(recordId), paths.log(recordId),
                paths.spawnLock(recordId),
                // the owner's note of its --mcp-config (config.OwnerMcpNote)
                paths.directory().resolve(recordId + ".mcp.json")));
        try {
            files.add(paths.socket(recordId));
        } catch (IllegalStateException tooLong) {
            // a socket path over the Unix limit was never created
        }
        return files;
    }

    private static void deleteAll(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new AcpxException(ErrorKind.RUNTIME, "cannot delete " + f + ": " + e.getMessage()
                        + "; check the permissions of " + f.getParent());
            }
        }
    }
}
