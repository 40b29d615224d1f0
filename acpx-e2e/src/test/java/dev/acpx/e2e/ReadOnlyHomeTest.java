package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-only commands ({@code status}, {@code sessions list|show|history}) on a HOME that is full
 * or mounted read-only: the stale-record clean-up they do on the side cannot be written, which is
 * reported on one stderr line while the command itself succeeds. HOME is a real small tmpfs.
 */
class ReadOnlyHomeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Acpx acpx;
    private boolean mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", "-l", acpx.home.toString());
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " hung");
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }

    private Acpx.Result a(String... args) throws Exception {
        String[] full = new String[args.length + 2];
        full[0] = "--agent";
        full[1] = Acpx.mockAgent();
        System.arraycopy(args, 0, full, 2, args.length);
        return acpx.run(full);
    }

    @Test
    @Timeout(600)
    void readOnlyCommandsSucceedOnAFullAndThenAReadOnlyHome() throws Exception {
        Acpx.assumeOwnProcesses("a remount of HOME while no acpx process uses it (the daemon keeps its log open there)");
        acpx = new Acpx(tmp);
        acpx.outputDir = Files.createDirectories(tmp.resolve("outputs"));
        String failure = run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", acpx.home.toString());
        assumeTrue(failure == null, "skipped: cannot mount a tmpfs as HOME here (needs root with CAP_SYS_ADMIN): "
                + failure);
        mounted = true;

        Acpx.Result created = a("--format", "quiet", "sessions", "new");
        assertEquals(0, created.code(), created.toString());
        String id = created.out().trim();
        Path record = acpx.home.resolve(".acpx/sessions/" + id + ".json");
        makeStale(record);
        byte[] staleRecord = Files.readAllBytes(record);

        fill(acpx.home);
        assertSideWriteFailsButCommandsSucceed(id, record, staleRecord, "full");

        failure = run("mount", "-o", "remount,ro", acpx.home.toString());
        assertEquals(null, failure, "remount read-only");
        assertSideWriteFailsButCommandsSucceed(id, record, staleRecord, "read-only");
    }

    /** A dead owner recorded: any listing wants to clear it (the reaper's side write). */
    private static void makeStale(Path record) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        ObjectNode json = (ObjectNode) JSON.readTree(record.toFile());
        json.put("owner_pid", gone.pid());
        json.put("owner_started_at", Instant.now().minusSeconds(5).toString());
        Files.write(record, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    /** Writes zeros until the file system says it is full. */
    private static void fill(Path dir) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
            for (int i = 0; i < 1_000; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException expected) {
            if (!String.valueOf(expected.getMessage()).contains("No space left")) {
                throw expected;
            }
            return;
        }
        throw new AssertionError("a 1 MiB tmpfs took 64 MB without filling up");
    }

    private void assertSideWriteFailsButCommandsSucceed(String id, Path record, byte[] staleRecord, String how)
            throws Exception {
        for (String[] cmd : List.of(new String[] {"sessions", "list"}, new String[] {"status"})) {
            Acpx.Result r = a(cmd);
            assertEquals(0, r.code(), how + " HOME, " + String.join(" ", cmd) + ": " + r);
            List<String> warnings = r.err().lines().filter(l -> l.startsWith("acpx: warning: ")).toList();
            assertEquals(1, warnings.size(), how + " HOME, " + String.join(" ", cmd) + ": one warning line: " + r);
            assertTrue(warnings.getFirst().contains(id), warnings.getFirst());
            assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.toString());
        }
        Acpx.Result list = a("--format", "quiet", "sessions", "list");
        assertTrue(list.out().contains(id), how + " HOME: the record is still listed: " + list);
        for (String[] cmd : List.of(new String[] {"sessions", "show", id}, new String[] {"sessions", "history", id})) {
            Acpx.Result r = a(cmd);
            assertEquals(0, r.code(), how + " HOME, " + String.join(" ", cmd) + ": " + r);
        }
        // The failed rewrite left the record as it was, and no temp file behind.
        assertTrue(java.util.Arrays.equals(staleRecord, Files.readAllBytes(record)), how + " HOME: record untouched");
        try (Stream<Path> files = Files.list(record.getParent())) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
        }
    }
}
