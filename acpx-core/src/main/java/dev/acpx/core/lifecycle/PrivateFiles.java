package dev.acpx.core.lifecycle;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Everything under {@code ~/.acpx} is the user's alone (records may name commands and paths,
 * locks and sockets must not be reachable by other users): directories 0700, files 0600.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTR = PosixFilePermissions.asFileAttribute(FILE);

    private PrivateFiles() {}

    /** Creates the directory (and missing parents up to it) as 0700; tightens it if it exists wider. */
    public static Path ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
            } catch (FileAlreadyExistsException raced) {
                // another process made it: the mode is checked below
            }
        }
        if (!Files.getPosixFilePermissions(dir).equals(DIR)) {
            Files.setPosixFilePermissions(dir, DIR);
        }
        return dir;
    }

    /** Creates an empty 0600 file unless one exists. */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, FILE_ATTR);
        } catch (FileAlreadyExistsException raced) {
            // fine: created by another process
        }
    }

    /** Writes bytes to a new or existing file that is (or becomes) 0600 before any byte is written. */
    public static void write(Path file, byte[] bytes) throws IOException {
        createFile(file);
        Files.setPosixFilePermissions(file, FILE);
        Files.write(file, bytes);
    }
}
