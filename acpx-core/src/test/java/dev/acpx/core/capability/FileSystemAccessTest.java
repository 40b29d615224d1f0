package dev.acpx.core.capability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemAccessTest {

    @TempDir
    Path tmp;
    private Path cwd;
    private Path outside;
    private FileSystemAccess fs;

    @BeforeEach
    void setUp() throws Exception {
        cwd = Files.createDirectory(tmp.resolve("project")).toRealPath();
        outside = Files.createDirectory(tmp.resolve("elsewhere")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.writeString(cwd.resolve("lines.txt"), "one\ntwo\r\nthree\nfour");
        fs = new FileSystemAccess(cwd);
    }

    private CapabilityException refused(String path) {
        CapabilityException e = assertThrows(CapabilityException.class, () -> fs.read(path, null, null));
        assertEquals(CapabilityException.INVALID_PARAMS, e.code(), e.getMessage());
        assertTrue(e.getMessage().startsWith("refused: "), e.getMessage());
        return e;
    }

    @Test
    void readsWholeFile() throws Exception {
        assertEquals("one\ntwo\r\nthree\nfour", fs.read(cwd.resolve("lines.txt").toString(), null, null));
    }

    @Test
    void relativePathsResolveAgainstTheSessionDirectory() throws Exception {
        assertEquals("one\ntwo\r\nthree\nfour", fs.read("lines.txt", null, null));
        assertEquals(cwd.resolve("lines.txt"), fs.resolveInside("./sub/../lines.txt"));
    }

    @Test
    void lineAndLimitSelectLines() throws Exception {
        String p = cwd.resolve("lines.txt").toString();
        assertEquals("two\r\nthree\n", fs.read(p, 2, 2));
        assertEquals("three\nfour", fs.read(p, 3, null));
        assertEquals("one\n", fs.read(p, null, 1));
        assertEquals("four", fs.read(p, 4, 10));
        assertEquals("", fs.read(p, 9, null));
        assertEquals("", fs.read(p, 1, 0));
    }

    @Test
    void badLineOrLimitIsInvalidParams() {
        String p = cwd.resolve("lines.txt").toString();
        assertEquals(CapabilityException.INVALID_PARAMS,
                assertThrows(CapabilityException.class, () -> fs.read(p, 0, null)).code());
        assertEquals(CapabilityException.INVALID_PARAMS,
                assertThrows(CapabilityException.class, () -> fs.read(p, 1, -1)).code());
    }

    @Test
    void missingFileIsResourceNotFound() {
        CapabilityException e = assertThrows(CapabilityException.class,
                () -> fs.read(cwd.resolve("nope.txt").toString(), null, null));
        assertEquals(CapabilityException.RESOURCE_NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("nope.txt"));
    }

    @Test
    void refusesAbsolutePathsElsewhere() {
        CapabilityException e = refused("/etc/passwd");
        assertEquals("refused: /etc/passwd is outside the session directory " + cwd, e.getMessage());
        refused(outside.resolve("secret.txt").toString());
    }

    @Test
    void refusesDotDotEscapes() {
        CapabilityException e = refused("../elsewhere/secret.txt");
        assertTrue(e.getMessage().contains("resolves to " + outside.resolve("secret.txt")), e.getMessage());
        refused(cwd + "/../elsewhere/secret.txt");
        refused(cwd + "/new/../../elsewhere/secret.txt");
    }

    @Test
    void refusesSymlinksPointingOut() throws Exception {
        Files.createSymbolicLink(cwd.resolve("link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(cwd.resolve("linkdir"), outside);
        refused(cwd.resolve("link.txt").toString());
        refused(cwd.resolve("linkdir/secret.txt").toString());
        CapabilityException w = assertThrows(CapabilityException.class,
                () -> fs.write(cwd.resolve("linkdir/new.txt").toString(), "x"));
        assertEquals(CapabilityException.INVALID_PARAMS, w.code());
        assertFalse(Files.exists(outside.resolve("new.txt")));
        assertThrows(CapabilityException.class, () -> fs.write(cwd.resolve("link.txt").toString(), "pwned"));
        assertEquals("secret", Files.readString(outside.resolve("secret.txt")));
    }

    @Test
    void followsSymlinksThatStayInside() throws Exception {
        Files.createSymbolicLink(cwd.resolve("alias.txt"), cwd.resolve("lines.txt"));
        assertEquals("one\n", fs.read(cwd.resolve("alias.txt").toString(), 1, 1));
    }

    @Test
    void refusesDanglingSymlinks() throws Exception {
        Files.createSymbolicLink(cwd.resolve("dangling"), outside.resolve("later.txt"));
        assertThrows(CapabilityException.class, () -> fs.write(cwd.resolve("dangling").toString(), "x"));
        assertFalse(Files.exists(outside.resolve("later.txt")));
    }

    @Test
    void refusesProcAndDevices() {
        refused("/proc/self/environ");
        refused("/dev/zero");
        FileSystemAccess rootFs = new FileSystemAccess(Path.of("/"));
        CapabilityException proc = assertThrows(CapabilityException.class,
                () -> rootFs.read("/proc/self/environ", null, null));
        assertTrue(proc.getMessage().contains("never serves"), proc.getMessage());
        assertThrows(CapabilityException.class, () -> rootFs.read("/dev/zero", null, null));
    }

    @Test
    void refusesNonRegularFiles() throws Exception {
        Files.createDirectory(cwd.resolve("dir"));
        CapabilityException e = refused(cwd.resolve("dir").toString());
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void capsReadSize() throws Exception {
        Path big = cwd.resolve("big.log");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(FileSystemAccess.MAX_READ_BYTES + 1);
        }
        CapabilityException e = refused(big.toString());
        assertTrue(e.getMessage().contains("line and limit"), e.getMessage());
    }

    @Test
    void writeCreatesParentsInside() throws Exception {
        fs.write(cwd.resolve("a/b/c.txt").toString(), "héllo\n");
        assertEquals("héllo\n", Files.readString(cwd.resolve("a/b/c.txt")));
        fs.write("a/b/c.txt", "over");
        assertEquals("over", Files.readString(cwd.resolve("a/b/c.txt")));
    }

    @Test
    void writeOutsideIsRefusedAndCreatesNothing() {
        CapabilityException e = assertThrows(CapabilityException.class,
                () -> fs.write(outside.resolve("x/y.txt").toString(), "x"));
        assertEquals(CapabilityException.INVALID_PARAMS, e.code());
        assertFalse(Files.exists(outside.resolve("x")));
        assertThrows(CapabilityException.class, () -> fs.write("../escape.txt", "x"));
        assertFalse(Files.exists(tmp.resolve("escape.txt")));
    }

    @Test
    void sessionDirectoryReachedThroughASymlinkStillWorks() throws Exception {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), cwd);
        FileSystemAccess viaAlias = new FileSystemAccess(alias);
        assertEquals("one\n", viaAlias.read(alias.resolve("lines.txt").toString(), 1, 1));
        assertEquals(cwd, viaAlias.sessionDirectory());
    }

    @Test
    void emptyOrInvalidPathIsInvalidParams() {
        assertEquals(CapabilityException.INVALID_PARAMS,
                assertThrows(CapabilityException.class, () -> fs.read("", null, null)).code());
        assertEquals(CapabilityException.INVALID_PARAMS,
                assertThrows(CapabilityException.class, () -> fs.read("bad\0name", null, null)).code());
    }
}
