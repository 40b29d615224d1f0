package dev.acpx.core.queue;

import dev.acpx.core.lifecycle.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the queue owners of one acpx home keep their files: {@code <acpxHome>/queue/}, mode 0700
 * so only the user can reach the sockets. Files are named by a short hash of the record id because
 * a Unix socket path must fit in 107 bytes and record ids may be long.
 */
public final class QueuePaths {

    /** sun_path holds 108 bytes including the terminating NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    /** Same length as the Node acpx's queue key: 96 bits, no collision between real sessions. */
    private static final int KEY_HEX_CHARS = 24;

    private final Path directory;

    public QueuePaths(Path acpxHome) {
        this.directory = acpxHome.toAbsolutePath().normalize().resolve("queue");
    }

    /** The queue directory ({@code <acpxHome>/queue}). */
    public Path directory() {
        return directory;
    }

    /**
     * Creates the directory owner-only (0700); an existing one must be the user's and not writable
     * by others (see {@link PrivateFiles#ensureDirectory}), else it is refused untouched.
     */
    public Path ensureDirectory() {
        try {
            return PrivateFiles.ensureDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the queue directory " + directory + ": " + e.getMessage()
                    + " (check that the acpx home is writable by you)", e);
        }
    }

    /** The short key naming a record's queue files. */
    public static String key(String recordId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(recordId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, KEY_HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The owner's socket; fails with a clear message when the path is too long for a Unix socket. */
    public Path socket(String recordId) {
        Path socket = directory.resolve(key(recordId) + ".sock");
        int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalStateException("the queue socket path " + socket + " is " + length
                    + " bytes, over the " + MAX_SOCKET_PATH_BYTES + "-byte limit of Unix sockets;"
                    + " use an acpx home with a shorter path (for example HOME=/tmp/u)");
        }
        return socket;
    }

    /** The lock that makes one owner per session (held for the owner's whole life). */
    public Path ownerLock(String recordId) {
        return directory.resolve(key(recordId) + ".lock");
    }

    /** Serializes callers deciding whether to start an owner, so that normally only one is spawned. */
    public Path spawnLock(String recordId) {
        return directory.resolve(key(recordId) + ".spawn");
    }

    /** Who was last spawned as owner (pid and start time), so racing callers do not spawn again. */
    public Path spawnNote(String recordId) {
        return directory.resolve(key(recordId) + ".spawned");
    }

    /** The owner process's stdout and stderr. */
    public Path log(String recordId) {
        return directory.resolve(key(recordId) + ".log");
    }
}
