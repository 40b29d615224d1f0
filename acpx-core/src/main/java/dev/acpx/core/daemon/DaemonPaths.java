package dev.acpx.core.daemon;

import dev.acpx.core.lifecycle.PrivateFiles;
import dev.acpx.core.queue.QueuePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the per-user daemon of one acpx home keeps its files: {@code <acpxHome>/daemon/}, mode
 * 0700 so only the user reaches its socket. The lock is held by the serving daemon for its whole
 * life (the kernel frees it if the daemon is killed); the spawn lock serializes callers starting one.
 */
public record DaemonPaths(Path directory) {

    public static DaemonPaths of(Path acpxHome) {
        return new DaemonPaths(acpxHome.toAbsolutePath().normalize().resolve("daemon"));
    }

    /** The acpx home this daemon serves (the directory's parent). */
    public Path acpxHome() {
        return directory.getParent();
    }

    /** Creates the directory owner-only; an existing one must be the user's and private. */
    public Path ensureDirectory() {
        try {
            // The acpx home first, 0700 like the rest of it: a thin client's first command may be the one
            // that creates it.
            PrivateFiles.ensureDirectory(directory.getParent());
            return PrivateFiles.ensureDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the daemon directory " + directory + ": " + e.getMessage()
                    + " (check that the acpx home is writable by you)", e);
        }
    }

    /** The daemon's socket; fails with a clear message when the path is too long for a Unix socket. */
    public Path socket() {
        Path socket = directory.resolve("daemon.sock");
        int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > QueuePaths.MAX_SOCKET_PATH_BYTES) {
            throw new IllegalStateException("the daemon socket path " + socket + " is " + length + " bytes, over the "
                    + QueuePaths.MAX_SOCKET_PATH_BYTES + "-byte limit of Unix sockets; use an acpx home with a"
                    + " shorter path, or ACPX_DAEMON=0");
        }
        return socket;
    }

    /** Held by the serving daemon: exactly one daemon per acpx home. */
    public Path lock() {
        return directory.resolve("daemon.lock");
    }

    /** Held by a caller while it starts a daemon and waits for it to answer. */
    public Path spawnLock() {
        return directory.resolve("daemon.spawn");
    }

    /** The serving daemon's pid, start time and build id, one line (for people and tools; callers ping). */
    public Path identity() {
        return directory.resolve("daemon.pid");
    }

    /** The daemon's stdout and stderr. */
    public Path log() {
        return directory.resolve("daemon.log");
    }
}
