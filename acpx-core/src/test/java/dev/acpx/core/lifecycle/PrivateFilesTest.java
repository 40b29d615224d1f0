package dev.acpx.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state directory another user controls is refused untouched; the user's own is made private. */
class PrivateFilesTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static boolean root() throws Exception {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    @Test
    void createsMissingDirectoriesPrivate() throws Exception {
        Path d = dir.resolve("a/b/sessions");
        PrivateFiles.ensureDirectory(d);
        assertEquals("rwx------", mode(d));
    }

    @Test
    void tightensTheUsersOwnReadableDirectory() throws Exception {
        Path d = Files.createDirectory(dir.resolve("own"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.ensureDirectory(d);
        assertEquals("rwx------", mode(d));
    }

    @Test
    void refusesAWorldWritableDirectoryAndLeavesItsMode() throws Exception {
        Path d = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        UntrustedDirectoryException e = assertThrows(UntrustedDirectoryException.class,
                () -> PrivateFiles.ensureDirectory(d));
        assertTrue(e.getMessage().contains(d.toString()) && e.getMessage().contains("chmod 700"), e.getMessage());
        assertEquals("rwxrwxrwx", mode(d));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwx---"));
        assertThrows(UntrustedDirectoryException.class, () -> PrivateFiles.ensureDirectory(d));
        assertEquals("rwxrwx---", mode(d));
    }

    @Test
    void refusesADirectoryOwnedByAnotherUserAndASymlinkToOne() throws Exception {
        assumeTrue(root(), "needs root to chown a directory to nobody (tests run as root in CI)");
        Path foreign = Files.createDirectory(dir.resolve("foreign"));
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(foreign, "unix:uid", 65534);
        UntrustedDirectoryException direct = assertThrows(UntrustedDirectoryException.class,
                () -> PrivateFiles.ensureDirectory(foreign));
        assertTrue(direct.getMessage().contains("uid 65534"), direct.getMessage());

        Path link = Files.createSymbolicLink(dir.resolve("sessions"), foreign);
        UntrustedDirectoryException viaLink = assertThrows(UntrustedDirectoryException.class,
                () -> PrivateFiles.ensureDirectory(link));
        assertTrue(viaLink.getMessage().contains("symlink to " + foreign), viaLink.getMessage());
        // Never repaired: neither chmod'ed nor written.
        assertEquals("rwxr-xr-x", mode(foreign));
        assertEquals(65534, Files.getAttribute(foreign, "unix:uid"));
        try (var files = Files.list(foreign)) {
            assertEquals(0, files.count());
        }
        // And no lock file is made there either.
        assertThrows(UntrustedDirectoryException.class, () -> HostFileLock.tryLock(link.resolve("x.lock")));
        try (var files = Files.list(foreign)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void followsASymlinkToTheUsersOwnPrivateDirectory() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        PrivateFiles.ensureDirectory(link);
        assertEquals("rwx------", mode(real));
    }
}
