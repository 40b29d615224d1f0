package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host-wide limit holds when the files that record it are removed under a live session: the
 * slot is also a name the kernel keeps (an abstract Unix socket) for as long as its holder lives.
 */
@Timeout(180)
class TamperE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Acpx acpx;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(root);
        Files.createDirectories(acpx.cwd.resolve(".git"));
        // The limit comes from the project config, so that removing all of ~/.acpx keeps it configured.
        Files.writeString(acpx.cwd.resolve(".acpxrc.json"), "{\"maxConcurrentSessions\": 1}");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        List<String> left = Procs.awaitNone(acpx.marker, 10000);
        assertEquals(List.of(), left, "processes left behind");
    }

    private Acpx.Result a(String... args) throws Exception {
        String[] full = new String[args.length + 2];
        full[0] = "--agent";
        full[1] = Acpx.mockAgent();
        System.arraycopy(args, 0, full, 2, args.length);
        return acpx.run(full);
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void removingSlotsOrAllOfAcpxUnderALiveSessionKeepsTheLimit() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        Acpx.Result r = a("prompt", "echo holding the only slot");
        assertEquals(0, r.code(), r::toString);
        JsonNode records = JSON.readTree(a("--format", "json", "sessions", "list").out());
        long owner = records.get(0).path("ownerPid").asLong();
        assertTrue(Procs.alive(owner), records.toPrettyString());
        // The limit is in force: a one-shot run is refused while the owner holds the slot.
        r = a("exec", "echo refused");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("maxConcurrentSessions (1) reached"), r::toString);

        deleteTree(acpx.home.resolve(".acpx/slots"));
        r = a("exec", "echo after rm -rf slots");
        assertEquals(1, r.code(), "removing ~/.acpx/slots lifted the limit: " + r);
        assertTrue(r.err().contains("maxConcurrentSessions (1) reached"), r::toString);
        assertTrue(r.err().contains("pid " + owner), "the kernel should still name the holder: " + r);

        deleteTree(acpx.home.resolve(".acpx"));
        r = a("exec", "echo after rm -rf .acpx");
        assertEquals(1, r.code(), "removing ~/.acpx lifted the limit: " + r);

        // Its record gone, the owner is ended by pid; the slot is free the moment it dies.
        ProcessHandle.of(owner).orElseThrow().destroyForcibly();
        SessionsE2ETest.waitFor(() -> !Procs.alive(owner), 10000);
        r = a("exec", "echo now there is room");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("now there is room"), r::toString);
    }
}
