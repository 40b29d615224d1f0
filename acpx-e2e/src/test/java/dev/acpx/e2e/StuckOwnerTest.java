package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue owner that is alive but does not answer (SIGSTOPped): a caller's --timeout still
 * bounds its whole wait (exit 3), a caller without one replaces the owner and gets its turn, and
 * Ctrl+C of a caller waiting on it exits 130 at once. Stopped processes are always continued or
 * killed at the end, whatever happened.
 */
@Timeout(240)
class StuckOwnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Acpx acpx;
    /** Every pid this test stopped; continued in tearDown. */
    private final List<Long> stopped = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        acpx.env.put("ACPX_NO_TRAIN", "1");
        Files.createDirectories(acpx.cwd.resolve(".git"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (long pid : stopped) {
            Signals.send(pid, "CONT");
        }
        a(Duration.ofSeconds(60), "sessions", "close");
        List<String> left = Procs.awaitNone(acpx.marker, 15000);
        for (String p : left) {
            Signals.send(Long.parseLong(p.substring(0, p.indexOf(' '))), "KILL");
        }
        assertEquals(List.of(), left, "processes left behind");
    }

    private Acpx.Result a(Duration limit, String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("--agent", Acpx.mockAgent()));
        full.addAll(List.of(args));
        return acpx.run(null, limit, full.toArray(String[]::new));
    }

    /** A warm session: its owner and agent running; returns the open record. */
    private JsonNode warmSession() throws Exception {
        Acpx.Result r = a(Duration.ofSeconds(60), "sessions", "new");
        assertEquals(0, r.code(), r::toString);
        r = a(Duration.ofSeconds(60), "prompt", "echo warm");
        assertEquals(0, r.code(), r::toString);
        return openRecord();
    }

    private JsonNode openRecord() throws Exception {
        try (var files = Files.list(acpx.home.resolve(".acpx/sessions"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode r = JSON.readTree(f.toFile());
                if (!r.path("closed").asBoolean()) {
                    return r;
                }
            }
        }
        throw new AssertionError("no open record");
    }

    private long stop(long pid) throws Exception {
        stopped.add(pid);
        Signals.send(pid, "STOP");
        Signals.awaitState(pid, 'T', Duration.ofSeconds(10));
        return pid;
    }

    @Test
    void timeoutBoundsTheWaitOnAStoppedOwner() throws Exception {
        long owner = stop(warmSession().path("owner_pid").asLong());
        long started = System.nanoTime();
        Acpx.Result r = a(Duration.ofSeconds(90), "--timeout", "5", "prompt", "echo never");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("[stuck-owner] --timeout 5 against a stopped owner: exit " + r.code() + " after " + ms + " ms");
        assertEquals(3, r.code(), r::toString);
        assertTrue(r.err().contains("timed out"), r::toString);
        // Generous bound (JVM start on a loaded host): what matters is that it is not the 2 minutes of old.
        assertTrue(ms < 45_000, "took " + ms + " ms");
        assertFalse(Signals.gone(owner), "a caller with a short --timeout does not replace the owner");
    }

    @Test
    void aStoppedOwnerIsReplacedAndTheTurnRuns() throws Exception {
        JsonNode before = warmSession();
        long owner = stop(before.path("owner_pid").asLong());
        long agent = before.path("pid").asLong();
        Acpx.Result r = a(Duration.ofSeconds(120), "prompt", "echo after the stop");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("after the stop"), r::toString);
        assertTrue(awaitGone(owner, Duration.ofSeconds(15)), "the stopped owner was killed");
        assertTrue(awaitGone(agent, Duration.ofSeconds(15)), "its agent was ended too");
        JsonNode after = openRecord();
        assertNotEquals(owner, after.path("owner_pid").asLong(), "a new owner serves");
        assertEquals(before.path("acpx_record_id").asText(), after.path("acpx_record_id").asText());
        assertTrue(ownerLogs().contains("was replaced by a caller"), "the replacement is in the owner log");
    }

    @Test
    void ctrlCWhileWaitingOnAStuckOwnerExits130AtOnce() throws Exception {
        warmSession();
        Process p = acpx.start(null, "--agent", Acpx.mockAgent(), "prompt", "slow 60000");
        try {
            // The caller is inside its turn once the first chunk arrived.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acpx.read(p, "out").isEmpty() && p.isAlive() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertFalse(acpx.read(p, "out").isEmpty(), "the slow turn started");
            stop(openRecord().path("owner_pid").asLong());
            long sent = System.nanoTime();
            Signals.send(p.pid(), "INT");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "acpx exited after SIGINT");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            System.out.println("[stuck-owner] SIGINT to exit with a stopped owner: " + ms + " ms");
            assertEquals(130, p.exitValue(), () -> "stderr: " + read(p));
            assertTrue(ms < 5_000, "exit took " + ms + " ms");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void anOwnerStoppedDuringATurnIsEndedAndTheCallerToldSo() throws Exception {
        warmSession();
        Process p = acpx.start(null, "--agent", Acpx.mockAgent(), "prompt", "slow 120000");
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acpx.read(p, "out").isEmpty() && p.isAlive() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertFalse(acpx.read(p, "out").isEmpty(), "the slow turn started");
            long owner = stop(openRecord().path("owner_pid").asLong());
            // The caller's heartbeat finds the owner stopped and ends it; the caller does not wait out the turn.
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the caller ended");
            assertEquals(1, p.exitValue(), () -> "stderr: " + read(p));
            // The turn had started, so its error is part of the turn's output (stdout), as the Node acpx prints it.
            String said = acpx.read(p, "out") + read(p);
            assertTrue(said.contains(stoppedDuringTurnSays()), () -> "output: " + said);
            assertTrue(awaitGone(owner, Duration.ofSeconds(15)), "the stopped owner was killed");
        } finally {
            p.destroyForcibly();
        }
        Acpx.Result r = a(Duration.ofSeconds(120), "prompt", "echo next turn");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("next turn"), r::toString);
    }

    /** What the caller says when the owner it waits on was stopped mid-turn and killed. */
    String stoppedDuringTurnSays() {
        return "exited during the turn";
    }

    private String read(Process p) {
        try {
            return acpx.read(p, "err");
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private String ownerLogs() throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(acpx.home.resolve(".acpx/queue"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".log")).toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    private static boolean awaitGone(long pid, Duration limit) throws InterruptedException {
        return Signals.awaitGone(pid, limit);
    }
}
