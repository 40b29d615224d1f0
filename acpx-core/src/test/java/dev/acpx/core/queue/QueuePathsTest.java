package dev.acpx.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueuePathsTest {

    @TempDir
    Path home;

    @Test
    void directoryIsCreatedOwnerOnly() throws Exception {
        QueuePaths paths = new QueuePaths(home.resolve(".acpx"));
        Path dir = paths.ensureDirectory();
        assertEquals(home.resolve(".acpx/queue"), dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void anExistingWiderDirectoryIsTightened() throws Exception {
        Path dir = Files.createDirectories(home.resolve(".acpx/queue"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        new QueuePaths(home.resolve(".acpx")).ensureDirectory();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void filesAreNamedByAShortStableHashOfTheRecordId() {
        QueuePaths paths = new QueuePaths(home);
        String longId = "x".repeat(500);
        String key = QueuePaths.key(longId);
        assertEquals(24, key.length());
        assertEquals(key, QueuePaths.key(longId));
        assertNotEquals(key, QueuePaths.key(longId + "y"));
        assertEquals(home.resolve("queue/" + key + ".sock"), paths.socket(longId));
        assertEquals(home.resolve("queue/" + key + ".lock"), paths.ownerLock(longId));
        assertEquals(home.resolve("queue/" + key + ".log"), paths.log(longId));
    }

    @Test
    void aSocketPathOverTheUnixLimitFailsClearly() {
        QueuePaths paths = new QueuePaths(home.resolve("d".repeat(120)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> paths.socket("rec"));
        assertTrue(e.getMessage().contains("over the 107-byte limit"), e.getMessage());
        assertTrue(e.getMessage().contains("shorter path"), e.getMessage());
    }
}
