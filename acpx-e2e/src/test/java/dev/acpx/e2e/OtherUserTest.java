package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §9 / issue 7: another local user cannot list or read session records, connect to a queue
 * owner's socket, or touch a slot lock. Runs the probes as uid/gid 65534 through setpriv, from a
 * HOME the other user can reach (0755 parents under /tmp), so only ~/.acpx's own modes stop it.
 */
class OtherUserTest {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** The system python, not a per-user shim the other uid cannot read. */
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String NOBODY = "65534";

    /** What a layout produced: the things to probe, and what keeps the socket listening. */
    record Built(Path sessionsDir, Path record, Path socket, Path slotLock, AutoCloseable keepAlive) {}

    /**
     * Produces the ~/.acpx layout under {@code home}. The hook for swapping in "run the real
     * bin/acpx and let it create everything" once the CLI and queue owner write these paths.
     */
    @FunctionalInterface
    interface Layout {
        Built create(Path home) throws Exception;
    }

    /** The modes the product uses: 0700 directories, 0600 files and socket. */
    static final Layout PRODUCT_MODES = home -> build(home, "rwx------", "rw-------");
    /**
     * The real thing: bin/acpx makes everything. {@code sessions new} and a prompt leave a queue
     * owner listening on its socket; {@code maxConcurrentSessions} makes it hold a slot lock. The
     * session is closed (owner and agent ended) when the test is done.
     */
    static final Layout REAL_ACPX = OtherUserTest::runRealAcpx;
    /** The control: what an umask-022 tool without care would leave. The probes must get through it. */
    static final Layout WORLD_OPEN = home -> build(home, "rwxr-xr-x", "rw-rw-rw-");

    private Path root;
    private Built built;

    @BeforeEach
    void requireRootAndSetpriv() throws IOException {
        assumeTrue(isRoot(), "needs root to switch to uid " + NOBODY);
        assumeTrue(Files.isExecutable(SETPRIV), "needs util-linux setpriv at " + SETPRIV);
        assumeTrue(Files.isExecutable(PYTHON), "needs " + PYTHON + " for the socket and open probes");
        // Not @TempDir: JUnit makes that 0700, which would stop the other user before ~/.acpx does.
        root = Files.createTempDirectory(Path.of("/tmp"), "acpx-otheruser-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (built != null) {
            built.keepAlive().close();
        }
        if (root != null) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void otherUserIsDeniedEverything() throws Exception {
        assertDeniedEverything(PRODUCT_MODES);
    }

    @Test
    void otherUserIsDeniedEverythingThatTheRealAcpxMakes() throws Exception {
        Acpx.assumeOwnProcesses("the files of a queue owner process of its own");
        assertDeniedEverything(REAL_ACPX);
    }

    private void assertDeniedEverything(Layout layout) throws Exception {
        built = layout.create(home());
        assertReachable();
        Probe ls = asOther("ls", built.sessionsDir().toString());
        // ~/.acpx (0700) already stops the stat, before sessions/ is opened.
        assertDenied(ls, 2, "ls: cannot access");
        Probe cat = asOther("cat", built.record().toString());
        assertDenied(cat, 1, "cat: " + built.record());
        Probe connect = asOther(PYTHON.toString(), "-c", CONNECT, built.socket().toString());
        assertDenied(connect, 1, "PermissionError");
        Probe open = asOther(PYTHON.toString(), "-c", OPEN_FOR_WRITE, built.slotLock().toString());
        assertDenied(open, 1, "PermissionError");
        // And the product's own view of itself agrees: nothing more open than 0700/0600.
        assertEquals(List.of(), Invariants.violations(home(), "no-processes-" + root.getFileName()));
    }

    /** Without the private modes every probe gets through, so the denials above are the modes' doing. */
    @Test
    void probesSucceedAgainstAnOpenLayout() throws Exception {
        built = WORLD_OPEN.create(home());
        assertAllowed(asOther("ls", built.sessionsDir().toString()), built.record().getFileName().toString());
        assertAllowed(asOther("cat", built.record().toString()), "acpx.session.v1");
        assertAllowed(asOther(PYTHON.toString(), "-c", CONNECT, built.socket().toString()), "connected");
        assertAllowed(asOther(PYTHON.toString(), "-c", OPEN_FOR_WRITE, built.slotLock().toString()), "opened");
    }

    // --- the layout ---------------------------------------------------------------------------

    private Path home() {
        return root.resolve("home");
    }

    private static Built build(Path home, String dirMode, String fileMode) throws IOException {
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path acpx = dir(home.resolve(".acpx"), dirMode);
        Path sessions = dir(acpx.resolve("sessions"), dirMode);
        Path queue = dir(acpx.resolve("queue"), dirMode);
        Path slots = dir(acpx.resolve("slots"), dirMode);
        String id = "0d9c5e1e-6f4e-4c47-9a55-0c1f2d3e4a5b";
        Path record = file(sessions.resolve(id + ".json"), fileMode, """
                {"schema":"acpx.session.v1","acpx_record_id":"%s","agent_command":"node agent.mjs","cwd":"/tmp","closed":false}
                """.formatted(id));
        Path lock = file(slots.resolve("slot-0.lock"), fileMode, "");
        Path socket = queue.resolve(id + ".sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(fileMode));
        return new Built(sessions, record, socket, lock, server);
    }

    private static Built runRealAcpx(Path home) throws Exception {
        Acpx acpx = new Acpx(home.getParent()); // makes home/ and work/ with the umask's 0755
        SessionsE2ETest.writePrivate(home.resolve(".acpx/config.json"), "{\"maxConcurrentSessions\": 2}");
        String[] agent = {"--agent", Acpx.mockAgent()};
        AutoCloseable close = () -> {
            acpx.run(agent[0], agent[1], "sessions", "close");
            List<String> left = Procs.awaitNone(acpx.marker, 10000);
            assertEquals(List.of(), left, "the closed session left processes");
        };
        try {
            for (String[] args : List.of(new String[] {"sessions", "new"}, new String[] {"prompt", "echo warm owner"})) {
                Acpx.Result r = acpx.run(agent[0], agent[1], args[0], args[1]);
                assertEquals(0, r.code(), r::toString);
            }
            assertTrue(Procs.withMarker(acpx.marker).stream().anyMatch(p -> p.contains("OwnerMain")),
                    "no queue owner is running after the prompt");
            Path acpxDir = home.resolve(".acpx");
            return new Built(acpxDir.resolve("sessions"), only(acpxDir.resolve("sessions"), "*.json"),
                    only(acpxDir.resolve("queue"), "*.sock"), heldSlotLock(acpxDir.resolve("slots")), close);
        } catch (Throwable t) {
            close.close();
            throw t;
        }
    }

    /** The one file matching {@code glob} in {@code dir}; fails when there is none or several. */
    private static Path only(Path dir, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(found::add);
        }
        assertEquals(1, found.size(), "expected one " + glob + " in " + dir + ", found " + found);
        return found.get(0);
    }

    /** The slot lock the owner holds: the one whose sidecar note names a holder. */
    private static Path heldSlotLock(Path slots) throws IOException {
        List<Path> notes = new ArrayList<>();
        try (var s = Files.newDirectoryStream(slots, "slot-*.json")) {
            s.forEach(notes::add);
        }
        assertTrue(!notes.isEmpty(), "no slot note in " + slots + ": is maxConcurrentSessions applied?");
        String note = notes.get(0).getFileName().toString();
        Path lock = slots.resolve(note.substring(0, note.length() - ".json".length()) + ".lock");
        assertTrue(Files.exists(lock), "no lock file next to " + notes.get(0));
        return lock;
    }

    private static Path dir(Path dir, String mode) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    private static Path file(Path file, String mode, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    // --- probes as the other user ---------------------------------------------------------------

    private static final String CONNECT = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.connect(sys.argv[1])
            print("connected")
            """;
    private static final String OPEN_FOR_WRITE = """
            import sys
            open(sys.argv[1], "r+b").close()
            print("opened")
            """;

    record Probe(List<String> cmd, int code, String out, String err) {
        @Override
        public String toString() {
            return String.join(" ", cmd) + " -> exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static Probe asOther(String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--"));
        full.addAll(List.of(cmd));
        ProcessBuilder pb = new ProcessBuilder(full).directory(Path.of("/").toFile());
        pb.environment().put("HOME", "/nonexistent");
        pb.environment().put("LC_ALL", "C"); // the stderr texts asserted are the untranslated ones
        pb.environment().remove("PYTHONPATH");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("probe did not finish in 30 s: " + full);
        }
        return new Probe(full, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The other user can reach HOME itself, so a denial below it comes from ~/.acpx's modes. */
    private void assertReachable() throws Exception {
        Path canary = file(home().resolve("canary.txt"), "rw-r--r--", "visible to all\n");
        assertAllowed(asOther("cat", canary.toString()), "visible to all");
        assertAllowed(asOther("ls", "-a", home().toString()), ".acpx");
    }

    private static void assertDenied(Probe p, int code, String what) {
        assertEquals(code, p.code(), p::toString);
        assertTrue(p.err().contains(what), () -> "expected '" + what + "' in\n" + p);
        assertTrue(p.err().contains("Permission denied"), () -> "not a permission denial:\n" + p);
        assertTrue(p.out().isEmpty(), () -> "the other user got output:\n" + p);
    }

    private static void assertAllowed(Probe p, String expectedOut) {
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().contains(expectedOut), () -> "expected '" + expectedOut + "' in\n" + p);
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[1].equals("0");
            }
        }
        return false;
    }
}
