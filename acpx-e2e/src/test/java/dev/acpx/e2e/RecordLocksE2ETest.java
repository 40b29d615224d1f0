package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records written by several processes at once (issue 10, review finding 2): a CLI
 * {@code sessions close} of a session an embedding JVM holds must stick, whatever the holder
 * writes afterwards, and the holder must end its agent; {@code sessions prune} takes the queue
 * files of the records it deletes along.
 */
class RecordLocksE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONG = Duration.ofSeconds(180);

    @TempDir
    Path tmp;
    Acpx acpx;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
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

    private JsonNode record(String id) throws Exception {
        return JSON.readTree(acpx.home.resolve(".acpx/sessions/" + id + ".json").toFile());
    }

    private static void awaitGone(long pid, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (Procs.alive(pid)) {
            assertTrue(System.nanoTime() < end, "agent " + pid + " still runs " + limit + " after the close");
            Thread.sleep(50);
        }
    }

    private void assertClosedByCli(String id) throws Exception {
        JsonNode r = record(id);
        assertTrue(r.path("closed").asBoolean(), "the record was reopened: " + r);
        assertEquals("closed by sessions close", r.path("closed_reason").asText(), r.toString());
        assertFalse(r.path("closed_at").isMissingNode() || r.path("closed_at").isNull(), r.toString());
    }

    @Test
    @Timeout(400)
    void aCliCloseOfAnIdleEmbeddedSessionSticksAndEndsItsAgent() throws Exception {
        try (LineChild host = LineChild.start(acpx, EmbeddedHolderMain.class, acpx.home.toString(),
                acpx.cwd.toString(), Acpx.mockAgent())) {
            String[] ready = host.await("READY", LONG).split(" ");
            String id = ready[1];
            long agentPid = Long.parseLong(ready[2]);

            Acpx.Result closed = a("sessions", "close", id);
            assertEquals(0, closed.code(), closed.toString());
            assertClosedByCli(id);

            // The holder's next use sees the close: refused, and its agent ended.
            host.send("prompt echo again");
            String answer = host.await("ERR", LONG);
            assertTrue(answer.startsWith("ERR NO_SESSION"), answer);
            awaitGone(agentPid, Duration.ofSeconds(30));
            host.send("open");
            assertEquals("OPEN false", host.await("OPEN", LONG));
            assertClosedByCli(id);

            host.send("quit");
            host.await("BYE", LONG);
            assertTrue(host.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, host.process().exitValue());
            assertClosedByCli(id); // the runtime's own close wrote the record once more: still closed
        }
    }

    @Test
    @Timeout(400)
    void aCliCloseDuringAnEmbeddedTurnSticksWhenTheTurnEnds() throws Exception {
        try (LineChild host = LineChild.start(acpx, EmbeddedHolderMain.class, acpx.home.toString(),
                acpx.cwd.toString(), Acpx.mockAgent())) {
            String[] ready = host.await("READY", LONG).split(" ");
            String id = ready[1];
            long agentPid = Long.parseLong(ready[2]);
            host.send("start slow 4000");
            assertEquals("STARTED", host.await("STARTED", LONG));

            Acpx.Result closed = a("sessions", "close", id);
            assertEquals(0, closed.code(), closed.toString());

            host.send("wait");
            String turn = host.await("OK", LONG);
            assertTrue(turn.length() > 3, "the turn ran to its end: " + turn);
            // The turn's end wrote the history onto the record: closed it stays, and the holder
            // ends its agent at once instead of keeping it warm.
            assertClosedByCli(id);
            JsonNode messages = record(id).path("messages");
            assertTrue(messages.toString().contains("slow 4000"), "the turn was recorded: " + messages);
            awaitGone(agentPid, Duration.ofSeconds(30));

            host.send("quit");
            host.await("BYE", LONG);
            assertClosedByCli(id);
        }
    }

    @Test
    @Timeout(300)
    void pruneDeletesTheQueueFilesOfTheRecordsItDeletes() throws Exception {
        Acpx.Result created = a("--format", "quiet", "sessions", "new");
        assertEquals(0, created.code(), created.toString());
        String id = created.out().trim();
        Acpx.Result prompt = a("prompt", "echo hi");
        assertEquals(0, prompt.code(), prompt.toString());
        Path queue = acpx.home.resolve(".acpx/queue");
        assertTrue(files(queue).size() >= 3, "the owner left its files: " + files(queue));
        assertEquals(0, a("sessions", "close", id).code());

        Acpx.Result pruned = a("sessions", "prune");
        assertEquals(0, pruned.code(), pruned.toString());
        assertTrue(pruned.out().startsWith("Pruned 1 session"), pruned.toString());
        assertEquals(List.of(), files(queue), "queue files of the pruned record");
        assertEquals(List.of(), files(acpx.home.resolve(".acpx/sessions")).stream()
                // its journal stays, as the Node acpx keeps it (only --include-history deletes it)
                .filter(f -> !f.equals(".lock") && !f.contains(".stream.")).toList(), "record files of the pruned record");
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
