package dev.acpx.core.lifecycle;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Everything under {@code ~/.acpx} is the user's alone (records may name commands and paths,
 * locks and sockets must not be reachable by other users): directories 0700, files 0600.
 *
 * <p>A directory someone else controls is refused, never repaired: if another user owns it (or a
 * symlink leads there), or group/others may write in it, they could plant records, swap lock files
 * or sockets, and chmod'ing it would change another user's files. So it is neither chmod'ed nor
 * written, and the caller gets an {@link UntrustedDirectoryException} naming it.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTR = PosixFilePermissions.asFileAttribute(FILE);

    private PrivateFiles() {}

    /**
     * Creates the directory (and missing parents up to it) as 0700, or checks an existing one with
     * {@link #checkTrusted}; an existing trusted one readable by others is tightened to 0700 when the
     * file system allows (a read-only one does not, and must not fail a read-only command).
     */
    public static Path ensureDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR));
            } catch (FileAlreadyExistsException raced) {
                // another process made it: it is checked below like any existing one
            }
        }
        PosixFileAttributes attrs = checkTrusted(dir);
        if (!attrs.permissions().equals(DIR)) {
            try {
                Files.setPosixFilePermissions(dir, DIR);
            } catch (IOException readOnly) {
                // only group/other read or search bits are left (write bits were refused above)
            }
        }
        return dir;
    }

    /**
     * The directory's attributes if the current user may trust it: a directory (a symlink is
     * followed) owned by this process's user and not writable by group or others.
     *
     * @throws UntrustedDirectoryException otherwise, naming the path and the fix
     */
    public static PosixFileAttributes checkTrusted(Path dir) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class);
        String shown = Files.isSymbolicLink(dir) ? dir + " (a symlink to " + dir.toRealPath() + ")" : dir.toString();
        if (!attrs.isDirectory()) {
            throw new UntrustedDirectoryException(dir, shown + " is not a directory; move it away so acpx can"
                    + " create its own");
        }
        int owner = uidOf(dir);
        int me = currentUid();
        if (owner != me) {
            throw new UntrustedDirectoryException(dir, shown + " is owned by " + attrs.owner().getName() + " (uid "
                    + owner + "), not by you (uid " + me + "); acpx will not use or change it: remove it"
                    + (Files.isSymbolicLink(dir) ? " (the symlink)" : "") + " so acpx creates its own, or chown it to you");
        }
        Set<PosixFilePermission> p = attrs.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new UntrustedDirectoryException(dir, shown + " is writable by other users (mode "
                    + PosixFilePermissions.toString(p) + "); acpx will not use it: fix it with `chmod 700 "
                    + dir.toAbsolutePath() + "`");
        }
        return attrs;
    }

    private static int uidOf(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid");
    }

    /** This process's effective uid: Linux makes {@code /proc/self} owned by it. */
    private static int currentUid() throws IOException {
        return uidOf(Path.of("/proc/self"));
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
