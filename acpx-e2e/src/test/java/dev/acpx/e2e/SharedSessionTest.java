package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host JVM and the command line sharing one session (issue 15): the embedding runtime serves its
 * persistent session on the session's queue socket, so a CLI {@code prompt}, {@code status} or
 * {@code cancel} reaches the host's engine and agent instead of being refused, turns of both queue
 * in arrival order, and whatever happens to the host (it closes, it is killed) leaves nothing and
 * lets the next CLI prompt go on with a queue owner of its own.
 */
class SharedSessionTest {
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

    private String[] withAgent(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--agent";
        full[1] = Acpx.mockAgent();
        System.arraycopy(args, 0, full, 2, args.length);
        return full;
    }

    private Acpx.Result a(String... args) throws Exception {
        return acpx.run(null, Duration.ofSeconds(120), withAgent(args));
    }

    private JsonNode record(String id) throws Exception {
        return JSON.readTree(acpx.home.resolve(".acpx/sessions/" + id + ".json").toFile());
    }

    private LineChild host() throws Exception {
        return LineChild.start(acpx, EmbeddedHolderMain.class, acpx.home.toString(), acpx.cwd.toString(),
                Acpx.mockAgent());
    }

    @Test
    @Timeout(400)
    void aCliPromptRunsOnTheHostsAgentAndBothTurnsAreOneHistory() throws Exception {
        try (LineChild host = host()) {
            String[] ready = host.await("READY", LONG).split(" ");
            String id = ready[1];
            long agentPid = Long.parseLong(ready[2]);

            Acpx.Result cli = a("prompt", "echo from the command line");
            assertEquals(0, cli.code(), cli.toString());
            assertTrue(cli.out().contains("from the command line"), cli.toString());

            Acpx.Result status = a("--format", "json", "status");
            assertEquals(0, status.code(), status.toString());
            JsonNode s = JSON.readTree(status.out());
            assertEquals(agentPid, s.path("agentPid").asLong(-1), "the CLI's turn ran on the host's agent: " + s);

            host.send("prompt echo from the host again");
            assertEquals("OK from the host again", host.await("OK", LONG));

            // one session, one history, in the order the turns ran
            String messages = record(id).path("messages").toString();
            int first = messages.indexOf("echo first");
            int cliTurn = messages.indexOf("echo from the command line");
            int again = messages.indexOf("echo from the host again");
            assertTrue(first >= 0 && cliTurn > first && again > cliTurn, messages);
            assertTrue(Procs.alive(agentPid), "the host's agent still runs");
            host.send("quit");
            host.await("BYE", LONG);
        }
    }

    @Test
    @Timeout(400)
    void aCliPromptWaitsForTheHostsTurnAndCanCancelIt() throws Exception {
        try (LineChild host = host()) {
            host.await("READY", LONG);
            host.send("start slow 60000");
            assertEquals("STARTED", host.await("STARTED", LONG));

            // queued behind the host's turn, which a CLI cancel then ends
            Process queued = acpx.start(null, withAgent("prompt", "echo queued behind the host"));
            Thread.sleep(1500);
            assertTrue(queued.isAlive(), "the CLI prompt waits for the host's running turn");
            Acpx.Result cancel = a("cancel");
            assertEquals(0, cancel.code(), cancel.toString());

            host.send("wait");
            String hostTurn = host.await("OK", LONG);
            assertTrue(queued.waitFor(120, TimeUnit.SECONDS), "the queued CLI prompt ran once the host's turn ended");
            assertEquals(0, queued.exitValue(), acpx.read(queued, "err"));
            assertTrue(acpx.read(queued, "out").contains("queued behind the host"), acpx.read(queued, "out"));
            assertFalse(hostTurn.contains("60000 ms"), "the host's slow turn was cut short: " + hostTurn);
            host.send("quit");
            host.await("BYE", LONG);
        }
    }

    @Test
    @Timeout(400)
    void onceTheHostIsGoneTheCliGoesOnWithAnOwnerOfItsOwn() throws Exception {
        String id;
        long agentPid;
        try (LineChild host = host()) {
            String[] ready = host.await("READY", LONG).split(" ");
            id = ready[1];
            agentPid = Long.parseLong(ready[2]);
            Acpx.Result cli = a("prompt", "echo shared");
            assertEquals(0, cli.code(), cli.toString());

            // the host is killed outright: its agent goes with it (SPEC §9), the socket serves no one
            host.process().destroyForcibly();
            assertTrue(host.process().waitFor(30, TimeUnit.SECONDS));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Procs.alive(agentPid) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertFalse(Procs.alive(agentPid), "the killed host's agent is gone");

        Acpx.Result after = a("prompt", "echo after the host");
        assertEquals(0, after.code(), after.toString());
        assertTrue(after.out().contains("after the host"), after.toString());
        JsonNode r = record(id);
        assertFalse(r.path("closed").asBoolean(), "the same session goes on: " + r);
        assertTrue(r.path("messages").toString().contains("echo shared"), "its history kept the CLI's turn");
        assertEquals(0, a("sessions", "close").code());
    }
}
