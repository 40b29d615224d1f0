package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trust (issue 10): state directories another user controls are refused with one line naming the
 * path, never chmod'ed or written; and the program a session runs is the caller's resolved agent,
 * never one a record names.
 */
class TrustE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;
    Acpx acpx;
    Path acpxDir;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        acpxDir = acpx.home.resolve(".acpx");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        List<String> left = Procs.awaitNone(acpx.marker, 15000);
        assertTrue(left.isEmpty(), "processes left behind: " + left);
    }

    private Acpx.Result a(String... args) throws Exception {
        String[] full = new String[args.length + 2];
        full[0] = "--agent";
        full[1] = Acpx.mockAgent();
        System.arraycopy(args, 0, full, 2, args.length);
        return acpx.run(full);
    }

    private static boolean root() throws Exception {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Exit 1 with exactly one error line that names {@code path} (besides the renderer's usual --verbose hint). */
    private static void assertRefused(Acpx.Result r, Path path, String why) {
        assertEquals(1, r.code(), r.toString());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank() && !l.startsWith("hint: ")).toList();
        assertEquals(1, lines.size(), "one line: " + r);
        assertTrue(lines.getFirst().contains(path.toString()) && lines.getFirst().contains(why), r.toString());
        assertFalse(r.err().contains("internal error"), r.toString());
    }

    /** A valid record of the mock agent, planted by "another user". */
    private ObjectNode planted(String id) {
        ObjectNode r = JSON.createObjectNode();
        r.put("schema", "acpx.session.v1");
        r.put("acpx_record_id", id);
        r.put("acp_session_id", id);
        r.put("agent_command", Acpx.mockAgent());
        r.put("cwd", acpx.cwd.toString());
        r.put("created_at", "2026-11-30T10:00:00.000Z");
        r.put("last_used_at", "2026-11-30T10:00:00.000Z");
        r.put("closed", false);
        r.putArray("messages");
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sessions", "queue", "slots"})
    @Timeout(180)
    void aWorldWritableStateDirectoryIsRefusedAndLeftAsItIs(String sub) throws Exception {
        Path dir = Files.createDirectories(acpxDir.resolve(sub));
        Files.setPosixFilePermissions(acpxDir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        for (String[] cmd : List.of(new String[] {"sessions", "list"}, new String[] {"sessions", "new"},
                new String[] {"prompt", "echo hi"})) {
            assertRefused(a(cmd), dir, "chmod 700");
        }
        assertEquals("rwxrwxrwx", mode(dir));
        assertEquals(List.of(), names(dir));
    }

    @Test
    @Timeout(180)
    void aSessionsDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        assumeTrue(root(), "skipped: needs root to chown a directory to nobody");
        Path sessions = Files.createDirectories(acpxDir.resolve("sessions"));
        Files.setPosixFilePermissions(sessions, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(sessions.resolve("planted.json"), JSON.writeValueAsBytes(planted("planted")));
        Files.setAttribute(sessions, "unix:uid", NOBODY);
        for (String[] cmd : List.of(new String[] {"sessions", "list"}, new String[] {"status"},
                new String[] {"sessions", "new"})) {
            assertRefused(a(cmd), sessions, "uid " + NOBODY);
        }
        assertEquals("rwxr-xr-x", mode(sessions));
        assertEquals(NOBODY, Files.getAttribute(sessions, "unix:uid"));
        assertEquals(List.of("planted.json"), names(sessions));
    }

    @Test
    @Timeout(180)
    void aSessionsSymlinkToAnotherUsersDirectoryIsRefusedAndNeverChmodded() throws Exception {
        assumeTrue(root(), "skipped: needs root to chown a directory to nobody");
        Path foreign = Files.createDirectories(tmp.resolve("other-user/sessions"));
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(foreign.resolve("planted.json"), JSON.writeValueAsBytes(planted("planted")));
        Files.setAttribute(foreign, "unix:uid", NOBODY);
        Files.createDirectories(acpxDir);
        Files.setPosixFilePermissions(acpxDir, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(acpxDir.resolve("sessions"), foreign);
        for (String[] cmd : List.of(new String[] {"sessions", "list"}, new String[] {"sessions", "new"},
                new String[] {"prompt", "echo hi"})) {
            assertRefused(a(cmd), link, "symlink to " + foreign);
        }
        assertEquals("rwxr-xr-x", mode(foreign), "never chmod'ed");
        assertEquals(NOBODY, Files.getAttribute(foreign, "unix:uid"));
        assertEquals(List.of("planted.json"), names(foreign), "never written");
    }

    /**
     * A record's agent fields are data, not a program to run: with {@code agent_argv} rewritten
     * to a command that leaves a marker file, set-mode (no owner yet: the agent starts in the CLI)
     * and prompt (through a queue owner) still run the caller's agent, and the marker never appears.
     */
    @Test
    @Timeout(300)
    void aTamperedRecordsAgentArgvIsNeverExecuted() throws Exception {
        Acpx.Result created = a("--format", "quiet", "sessions", "new");
        assertEquals(0, created.code(), created.toString());
        String id = created.out().trim();
        Path record = acpxDir.resolve("sessions/" + id + ".json");
        Path marker = tmp.resolve("tampered-agent-ran");
        ObjectNode json = (ObjectNode) JSON.readTree(record.toFile());
        ArrayNode argv = json.putArray("agent_argv");
        argv.add("sh").add("-c").add("touch " + marker + "; exec " + Acpx.mockAgent());
        Files.write(record, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));

        Acpx.Result mode = a("set-mode", "plan");
        assertEquals(0, mode.code(), mode.toString());
        assertFalse(Files.exists(marker), "set-mode ran the record's agent_argv");

        Acpx.Result prompt = a("prompt", "echo through the owner");
        assertEquals(0, prompt.code(), prompt.toString());
        assertTrue(prompt.out().contains("through the owner"), prompt.toString());
        assertFalse(Files.exists(marker), "the queue owner ran the record's agent_argv");

        assertEquals(0, a("sessions", "close", id).code());
    }
}
