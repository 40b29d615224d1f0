package dev.acpx.e2e;

import static dev.acpx.e2e.FleetProbe.HELD;
import static dev.acpx.e2e.FleetProbe.LIVE_ROWS;
import static dev.acpx.e2e.FleetProbe.agents;
import static dev.acpx.e2e.FleetProbe.await;
import static dev.acpx.e2e.FleetProbe.count;
import static dev.acpx.e2e.FleetProbe.freshRows;
import static dev.acpx.e2e.FleetProbe.held;
import static dev.acpx.e2e.FleetProbe.liveRows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.Session;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.TurnListener;
import dev.acpx.api.FleetOptions;
import dev.acpx.api.FleetSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet-wide limit (issue 17, docs/FLEET.md) on a real PostgreSQL: each simulated host is its
 * own HOME (its own {@code ~/.acpx}, its own local slots and fleet hostName) running the real
 * bin/acpx; the holders are {@code exec} runs (and one queue owner) of the mock agent. One cluster
 * for the class; each test starts from an empty fleet. Figures go to stdout, never into asserts.
 */
class FleetE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONG = Duration.ofSeconds(120);
    static PostgresCluster pg;

    @TempDir
    Path tmp;
    private final List<Acpx> hosts = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = PostgresCluster.start();
        // The first use creates the schema (the samplers below read its table from the start).
        Path home = Files.createTempDirectory("acpx-fleet-schema");
        try (AcpxRuntime rt = AcpxRuntime.builder().userHome(home).shutdownHook(false)
                .fleet(new FleetOptions(pg.jdbcUrl(), 1, "schema")).build()) {
            assertEquals(List.of(), rt.fleetSessions());
        }
        assertEquals(List.of("1"), pg.query("SELECT version FROM acpx_fleet_schema_version"));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    /** The previous test's holders are gone and their rows aged out: every slot is free. */
    @BeforeEach
    void emptyFleet() throws Exception {
        await("an empty fleet", LONG, () -> held(pg) == 0 && freshRows(pg) == 0);
    }

    @AfterEach
    void nothingLeft() throws Exception {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        for (Acpx h : hosts) {
            List<String> left = Procs.awaitNone(h.marker, 20000);
            assertTrue(left.isEmpty(), "processes left behind: " + left);
        }
    }

    @Test
    @Timeout(300)
    void theLimitHoldsAcrossThreeHostsAndRefusalsNameTheHolders() throws Exception {
        Acpx a = host("host-a", 2);
        Acpx b = host("host-b", 2);
        Acpx c = host("host-c", 2);
        Process pa = hold(a);
        Process pb = hold(b);
        await("two live fleet sessions", LONG, () -> liveRows(pg) == 2);

        Acpx.Result refused = exec(c, "echo over the limit");
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("fleet maxConcurrentSessions (2) reached: held by host-")
                && refused.err().contains("host-a:") && refused.err().contains("host-b:") && refused.err().contains("pid " + pa.pid())
                && refused.err().contains("pid " + pb.pid()), refused.toString());
        assertEquals(1, refused.err().strip().lines().count(), "one line: " + refused);
        // A prompt whose queue owner would be a third live session: the owner is refused, the caller says why.
        assertEquals(0, c.run("--agent", Acpx.mockAgent(), "sessions", "new").code());
        Acpx.Result ownerRefused = c.run("--agent", Acpx.mockAgent(), "prompt", "echo over the limit");
        assertEquals(1, ownerRefused.code(), ownerRefused.toString());
        assertTrue(ownerRefused.err().contains("fleet maxConcurrentSessions (2) reached: held by host-"),
                ownerRefused.toString());

        Acpx.Result listed = c.run("--format", "json", "sessions", "list", "--fleet");
        assertEquals(0, listed.code(), listed.toString());
        JsonNode rows = JSON.readTree(listed.out());
        assertEquals(2, rows.size(), listed.toString());
        assertEquals(List.of("host-a", "host-b"), List.of(rows.get(0).path("host").asText(),
                rows.get(1).path("host").asText()).stream().sorted().toList());
        assertEquals("live", rows.get(0).path("state").asText());
        Acpx.Result text = c.run("sessions", "list", "--fleet");
        assertEquals(2, text.out().lines().filter(l -> l.matches("slot [01]\thost-[ab]\t.*\tlive\tpid \\d+\t.*")).count(),
                text.toString());
        // Without a fleet the listing is a usage error saying what to configure.
        Acpx alone = new Acpx(tmp.resolve("no-fleet"));
        hosts.add(alone);
        Acpx.Result none = alone.run("sessions", "list", "--fleet");
        assertEquals(2, none.code(), none.toString());
        assertTrue(none.err().contains("no fleet is configured"), none.toString());
        // The runtime API shows the same table.
        try (AcpxRuntime rt = AcpxRuntime.builder().userHome(c.home).shutdownHook(false)
                .fleet(new FleetOptions(pg.jdbcUrl(), 2, "host-c")).build()) {
            List<FleetSession> sessions = rt.fleetSessions();
            assertEquals(List.of(pa.pid(), pb.pid()), sessions.stream().map(FleetSession::pid).sorted().toList());
        }

        // A clean end gives the slot back at once (its row goes with it).
        pa.destroy();
        assertTrue(pa.waitFor(60, TimeUnit.SECONDS), "exec did not end on SIGTERM");
        Acpx.Result after = exec(c, "echo after");
        assertEquals(0, after.code(), after.toString());
        assertEquals("after", after.out().strip());
    }

    @Test
    @Timeout(300)
    void aSigkilledHoldersSlotComesFreeWithinSeconds() throws Exception {
        Acpx a = host("host-a", 1);
        Acpx b = host("host-b", 1);
        Process pa = hold(a);
        await("a live fleet session", LONG, () -> liveRows(pg) == 1);
        await("the holder's agent", LONG, () -> !agents(a).isEmpty());
        long killedAt = System.nanoTime();
        pa.destroyForcibly(); // SIGKILL: no clean-up at all, the row stays behind
        assertTrue(pa.waitFor(30, TimeUnit.SECONDS));
        await("the killed holder's agent gone", LONG, () -> agents(a).isEmpty());
        double agentGone = (System.nanoTime() - killedAt) / 1e9;
        long end = System.nanoTime() + LONG.toNanos();
        Acpx.Result r;
        int tries = 0;
        do {
            r = exec(b, "echo free");
            tries++;
        } while (r.code() != 0 && System.nanoTime() < end);
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        assertEquals(0, r.code(), r.toString());
        System.out.printf("FIGURE fleet: SIGKILLed holder's agent gone after %.1f s; its slot taken by another host"
                + " %.1f s after the kill (%d tries, each a whole exec)%n", agentGone, seconds, tries);
    }

    @Test
    @Timeout(300)
    void aHolderWhoseConnectionIsKilledEndsItsSession() throws Exception {
        Acpx a = host("host-a", 3);
        Process pa = hold(a);
        await("a live exec", LONG, () -> liveRows(pg) == 1);
        // A queue owner too: its record must close with the reason.
        Acpx.Result created = a.run("--agent", Acpx.mockAgent(), "sessions", "new");
        assertEquals(0, created.code(), created.toString());
        String id = created.out().strip();
        Acpx.Result prompted = a.run("--agent", Acpx.mockAgent(), "--ttl", "300", "prompt", "echo warm");
        assertEquals(0, prompted.code(), prompted.toString());
        await("the owner's fleet slot", LONG, () -> liveRows(pg) == 2);
        // And an embedded session (this JVM as a third kind of holder, on host-e).
        Acpx e = host("host-e", 3);
        try (AcpxRuntime rt = AcpxRuntime.builder().userHome(e.home).shutdownHook(false).build()) {
            Session embedded = rt.open(SessionOptions.persistent(rt.resolveAgent(Acpx.mockAgent(), true, e.cwd), e.cwd));
            assertEquals(dev.acpx.api.StopReason.END_TURN, embedded.prompt("echo warm", TurnListener.ignoring()).stopReason());
            await("the embedded session's fleet slot", LONG, () -> liveRows(pg) == 3);

            long killedAt = System.nanoTime();
            List<String> killed = pg.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = 'acpx-fleet'");
            assertEquals(3, killed.size(), killed.toString());
            await("the embedded session closed", LONG, () -> !embedded.isOpen());
            AcpxException closed = org.junit.jupiter.api.Assertions.assertThrows(AcpxException.class,
                    () -> embedded.prompt("echo again", TurnListener.ignoring()));
            assertTrue(closed.getMessage().contains("fleet slot") && closed.getMessage().contains("lost"),
                    closed.getMessage());
            fencedExecAndOwner(a, pa, id, killedAt);
        }
    }

    private void fencedExecAndOwner(Acpx a, Process pa, String id, long killedAt) throws Exception {
        assertTrue(pa.waitFor(60, TimeUnit.SECONDS), "the fenced exec did not end");
        double execSeconds = (System.nanoTime() - killedAt) / 1e9;
        String err = a.read(pa, "err");
        assertEquals(1, pa.exitValue(), err);
        assertTrue(err.contains("fleet slot") && err.contains("lost: the fleet database connection failed")
                && err.contains("the session was ended so that the fleet limit holds"), err);
        Path record = a.home.resolve(".acpx/sessions/" + id + ".json");
        await("the owner's record closed", LONG, () -> JSON.readTree(record.toFile()).path("closed").asBoolean());
        JsonNode r = JSON.readTree(record.toFile());
        assertTrue(r.path("closed_reason").asText().contains("fleet slot") && r.path("closed_reason").asText()
                .contains("lost"), r.toString());
        await("the fenced processes gone", LONG, () -> Procs.withMarker(a.marker).isEmpty());
        System.out.printf("FIGURE fleet: exec fenced %.1f s after pg_terminate_backend%n", execSeconds);
    }

    @Test
    @Timeout(600)
    void fiftyConcurrentTriesNeverExceedTheLimit() throws Exception {
        int max = 3;
        List<Acpx> three = List.of(host("host-a", max), host("host-b", max), host("host-c", max));
        // One marker for the three hosts, so that one /proc scan finds every agent.
        three.forEach(h -> h.env.put("ACPX_TEST_MARKER", three.get(0).marker));
        List<LineChild> hostJvms = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxLocks = new AtomicInteger();
        AtomicInteger maxRows = new AtomicInteger();
        AtomicInteger maxAgents = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        AtomicReference<Throwable> samplerFailure = new AtomicReference<>();
        Thread sampler = null;
        try {
            // 50 tries: 17 + 17 + 16 threads in three host JVMs (50 JVM starts would measure the machine's load).
            for (int i = 0; i < 3; i++) {
                Acpx h = three.get(i);
                hostJvms.add(LineChild.start(h, FleetTriesMain.class, h.home.toString(), h.cwd.toString(),
                        Acpx.mockAgent(), Integer.toString(i < 2 ? 17 : 16), "slow 3000"));
            }
            for (LineChild c : hostJvms) {
                c.await("READY", LONG);
            }
            sampler = Thread.ofPlatform().start(() -> {
                try (java.sql.Connection db = pg.connect(); java.sql.Statement st = db.createStatement()) {
                    while (running.get()) {
                        maxLocks.accumulateAndGet(count(st, HELD), Math::max);
                        maxRows.accumulateAndGet(count(st, LIVE_ROWS), Math::max);
                        // The agents themselves: what the limit is for.
                        int agents = (int) Procs.withMarker(three.get(0).marker).stream()
                                .filter(p -> p.split(" ", 2)[1].startsWith("node ")).count();
                        maxAgents.accumulateAndGet(agents, Math::max);
                        samples.incrementAndGet();
                        Thread.sleep(20);
                    }
                } catch (Throwable t) {
                    samplerFailure.set(t);
                }
            });
            hostJvms.forEach(c -> c.send("go"));
            int ok = 0;
            int refused = 0;
            for (LineChild c : hostJvms) {
                for (String line = c.next(LONG); !line.equals("DONE"); line = c.next(LONG)) {
                    if (line.equals("OK")) {
                        ok++;
                    } else {
                        assertTrue(line.startsWith("ERR RUNTIME fleet maxConcurrentSessions (3) reached: "), line);
                        refused++;
                    }
                }
            }
            running.set(false);
            sampler.join(30000);
            if (samplerFailure.get() != null) {
                throw new AssertionError("the sampler failed", samplerFailure.get());
            }
            System.out.printf("FIGURE fleet: 50 tries at a limit of 3 from 3 hosts: %d ran, %d refused; %d samples,"
                    + " at most %d locks, %d live rows, %d agents at once%n", ok, refused, samples.get(),
                    maxLocks.get(), maxRows.get(), maxAgents.get());
            assertEquals(50, ok + refused);
            assertTrue(ok >= 1, "no try ran at all");
            assertTrue(samples.get() > 10, "too few samples to mean anything: " + samples.get());
            assertTrue(maxLocks.get() <= max, "fleet slots held at once: " + maxLocks.get());
            assertTrue(maxRows.get() <= max, "live rows at once: " + maxRows.get());
            assertTrue(maxAgents.get() <= max, "agents running at once: " + maxAgents.get());
            assertTrue(maxAgents.get() >= 1, "the sampler never saw an agent: it proves nothing");
        } finally {
            running.set(false);
            for (LineChild c : hostJvms) {
                c.close();
            }
        }
    }

    @Test
    @Timeout(300)
    void aPartitionedHolderFencesItselfBeforeItsSlotIsGivenAgain() throws Exception {
        try (FreezableProxy proxy = new FreezableProxy(pg.port())) {
            Acpx a = host("host-a", 1);
            Files.writeString(a.home.resolve(".acpx/config.json"), JSON.createObjectNode().set("fleet",
                    JSON.createObjectNode().put("jdbcUrl", "jdbc:postgresql://127.0.0.1:" + proxy.port()
                            + "/postgres?user=acpx").put("maxConcurrentSessions", 1).put("hostName", "host-a")).toString());
            Acpx b = host("host-b", 1);
            Process pa = hold(a);
            await("a live fleet session", LONG, () -> liveRows(pg) == 1);
            await("the holder's agent", LONG, () -> !agents(a).isEmpty());
            long cutAt = System.nanoTime();
            proxy.freeze();
            assertTrue(pa.waitFor(60, TimeUnit.SECONDS), "the partitioned holder did not fence itself");
            double fenced = (System.nanoTime() - cutAt) / 1e9;
            String err = a.read(pa, "err");
            assertEquals(1, pa.exitValue(), err);
            assertTrue(err.contains("fleet slot 0 lost"), err);
            assertTrue(agents(a).isEmpty(), "the fenced holder's agent still runs: " + agents(a));
            // The server cannot tell silence from a slow client yet: the slot is still held there.
            assertEquals(1, held(pg), "the lock went before the server could know");
            Acpx.Result refused = exec(b, "echo too early");
            assertEquals(1, refused.code(), refused.toString());
            System.out.printf("FIGURE fleet: partitioned holder fenced itself %.1f s after the cut%n", fenced);
        }
        // The partition ends as closed connections: the server frees the lock, the grace runs out.
        Acpx b = hosts.get(1);
        long end = System.nanoTime() + LONG.toNanos();
        Acpx.Result r;
        do {
            r = exec(b, "echo healed");
        } while (r.code() != 0 && System.nanoTime() < end);
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    @Timeout(400)
    void postgresRestartedUnderLiveSessionsFencesThemAndTheFleetWorksAgain() throws Exception {
        Acpx a = host("host-a", 2);
        Acpx b = host("host-b", 2);
        Process pa = hold(a);
        Process pb = hold(b);
        await("two live fleet sessions", LONG, () -> liveRows(pg) == 2);
        long stoppedAt = System.nanoTime();
        pg.stopServer();
        try {
            for (Process p : List.of(pa, pb)) {
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "a holder did not fence while the database was down");
                assertEquals(1, p.exitValue());
            }
            double fenced = (System.nanoTime() - stoppedAt) / 1e9;
            String err = a.read(pa, "err");
            assertTrue(err.contains("fleet slot") && err.contains("lost"), err);
            // No database: a new session is refused with one line, not run without a slot.
            Acpx.Result down = exec(b, "echo while down");
            assertEquals(1, down.code(), down.toString());
            assertTrue(down.err().contains("fleet: cannot reach the fleet database"), down.toString());
            System.out.printf("FIGURE fleet: both holders fenced %.1f s after PostgreSQL stopped%n", fenced);
        } finally {
            pg.startServer();
        }
        long restartedAt = System.nanoTime();
        long end = restartedAt + LONG.toNanos();
        Acpx.Result r;
        do {
            r = exec(b, "echo back");
        } while (r.code() != 0 && System.nanoTime() < end);
        assertEquals(0, r.code(), r.toString());
        assertEquals("back", r.out().strip());
        System.out.printf("FIGURE fleet: first exec ran %.1f s after PostgreSQL was back%n",
                (System.nanoTime() - restartedAt) / 1e9);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Acpx host(String name, int max) throws Exception {
        Acpx h = new Acpx(tmp.resolve(name));
        Files.createDirectories(h.home.resolve(".acpx"));
        Files.writeString(h.home.resolve(".acpx/config.json"), JSON.createObjectNode().set("fleet",
                JSON.createObjectNode().put("jdbcUrl", pg.jdbcUrl()).put("maxConcurrentSessions", max)
                        .put("hostName", name)).toString());
        hosts.add(h);
        return h;
    }

    /** An exec that holds its session (and slot) until it is ended. */
    private Process hold(Acpx h) throws Exception {
        Process p = h.start(null, "--agent", Acpx.mockAgent(), "--approve-all", "exec", "slow 600000");
        started.add(p);
        return p;
    }

    private static Acpx.Result exec(Acpx h, String prompt) throws Exception {
        return h.run(null, LONG, "--agent", Acpx.mockAgent(), "--format", "quiet", "exec", prompt);
    }
}
