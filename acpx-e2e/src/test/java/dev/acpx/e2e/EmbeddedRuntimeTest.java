package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.PermissionDecision;
import dev.acpx.api.PermissionRequest;
import dev.acpx.api.Session;
import dev.acpx.api.SessionInfo;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.SessionStatus;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §10: sessions held in this JVM through dev.acpx.api, against the real mock agent. */
@Timeout(120)
class EmbeddedRuntimeTest {
    @TempDir
    Path tmp;
    Acpx acpx;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
    }

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), EmbeddedHost.descendantsLeft(acpx, Duration.ofSeconds(5)), "processes left behind");
        assertEquals(List.of(), EmbeddedHost.openOneShotRecords(acpx.home), "one-shot records left open");
    }

    @Test
    void persistentSessionStreamsTypedEventsAndMeasuresLiveness() throws Exception {
        try (AcpxRuntime rt = EmbeddedHost.runtime(acpx).build()) {
            AgentRef agent = EmbeddedHost.mockAgent(rt, acpx);
            Session s = rt.open(SessionOptions.persistent(agent, acpx.cwd).withName("api"));
            assertEquals("idle", s.status().state(), "no agent before the first prompt");
            List<TurnEvent> events = new CopyOnWriteArrayList<>();
            TurnResult r = s.prompt("echo hello from the api", events::add);
            assertEquals(StopReason.END_TURN, r.stopReason());
            String text = events.stream().filter(e -> e instanceof TurnEvent.AgentText)
                    .map(e -> ((TurnEvent.AgentText) e).text()).reduce("", String::concat);
            assertEquals("hello from the api", text);
            assertTrue(events.getLast() instanceof TurnEvent.Done, events::toString);

            SessionStatus st = s.status();
            assertEquals("running", st.state());
            assertTrue(ProcessHandle.of(st.agentPid()).map(ProcessHandle::isAlive).orElse(false));
            SessionInfo listed = rt.listSessions(agent).sessions().stream()
                    .filter(i -> i.recordId().equals(s.recordId())).findFirst().orElseThrow();
            assertEquals("running", listed.state(), "the record measures this JVM's session as live");

            s.setMode("plan");
            assertEquals("plan", s.status().modeId());
            assertTrue(s.setOption("model", "mock-large").contains("mock-large"));

            ProcessHandle.of(st.agentPid()).orElseThrow().destroyForcibly();
            // The exit is measured at once; its record is written by the exit callback just after.
            waitFor(() -> "idle".equals(s.status().state()) && s.status().lastAgentExit() != null,
                    "status to notice the killed agent");
            assertEquals("signal SIGKILL", s.status().lastAgentExit());
            r = s.prompt("echo after the crash", TurnEvent -> { });
            assertEquals(StopReason.END_TURN, r.stopReason(), "the next prompt reconnects");

            plugsInAPermissionPolicy(rt, agent);

            s.close();
            assertEquals("closed", s.status().state());
            SessionInfo after = rt.showSession(agent, acpx.cwd, s.recordId());
            assertFalse(after.closed(), "a persistent session stays open and resumable");
            assertEquals("idle", after.state());
            assertThrows(AcpxException.class, () -> s.prompt("echo closed", e -> { }));
            assertTrue(rt.sessions().isEmpty());
        }
        Acpx.Result list = acpx.run("--agent", Acpx.mockAgent(), "--format", "json", "sessions", "list");
        assertEquals(0, list.code(), list::toString);
        assertTrue(list.out().contains("\"api\""), list::toString);
    }

    private void plugsInAPermissionPolicy(AcpxRuntime rt, AgentRef agent) throws Exception {
        List<PermissionRequest> asked = new CopyOnWriteArrayList<>();
        Session w = rt.open(SessionOptions.oneShot(agent, acpx.cwd).withPermissions(req -> {
            asked.add(req);
            return PermissionDecision.deny(req);
        }));
        List<TurnEvent> events = new CopyOnWriteArrayList<>();
        TurnResult r = w.prompt("write denied.txt secret", events::add);
        assertEquals(1, asked.size(), events::toString);
        assertTrue(r.permissionDenied(), r::toString);
        assertFalse(Files.exists(acpx.cwd.resolve("denied.txt")));
        assertTrue(events.stream().anyMatch(e -> e instanceof TurnEvent.PermissionAsked), events::toString);
        assertEquals(2, rt.sessions().size());
        String id = w.recordId();
        w.close();
        SessionInfo closed = rt.showSession(agent, acpx.cwd, id);
        assertTrue(closed.closed());
        assertNotNull(closed.closedAt());
        assertEquals("closed by host", closed.closedReason());
    }

    @Test
    void aFullHostFailsFastOrWaitsForASlot() throws Exception {
        try (AcpxRuntime rt = EmbeddedHost.runtime(acpx).maxConcurrentSessions(1).build()) {
            AgentRef agent = EmbeddedHost.mockAgent(rt, acpx);
            Session a = rt.open(SessionOptions.oneShot(agent, acpx.cwd));
            a.prompt("echo holding", e -> { });
            AcpxException full = assertThrows(AcpxException.class, () -> rt.open(SessionOptions.oneShot(agent, acpx.cwd)));
            assertTrue(full.getMessage().contains("maxConcurrentSessions (1) reached"), full.getMessage());
            // b waits for the slot; it may only get it once a's close has begun. The order is checked,
            // not a duration: no clock reading can fail on a slow machine.
            AtomicBoolean aClosing = new AtomicBoolean();
            CompletableFuture<Boolean> openedAfterClose = new CompletableFuture<>();
            CompletableFuture<Session> opening = CompletableFuture.supplyAsync(() -> {
                Session s = rt.open(SessionOptions.oneShot(agent, acpx.cwd).withSlotWait(Duration.ofSeconds(60)));
                openedAfterClose.complete(aClosing.get());
                return s;
            }, r -> Thread.ofVirtual().start(r));
            Thread.sleep(300); // only lets b start waiting; a slow machine can make this pass less, never fail
            assertFalse(opening.isDone(), "b must wait while a holds the only slot");
            aClosing.set(true);
            a.close();
            try (Session b = opening.get(60, TimeUnit.SECONDS)) {
                assertTrue(openedAfterClose.get(), "b got the slot before a released it");
                assertEquals(StopReason.END_TURN, b.prompt("echo got the slot", e -> { }).stopReason());
            }
            assertEquals(0, rt.slotsInUse());
        }
    }

    @Test
    void cliExecFromOutsideHonoursTheSlotsTheHostHolds() throws Exception {
        SessionsE2ETest.writePrivate(acpx.home.resolve(".acpx/config.json"), "{\"maxConcurrentSessions\": 2}");
        try (AcpxRuntime rt = EmbeddedHost.runtime(acpx).build()) {
            AgentRef agent = EmbeddedHost.mockAgent(rt, acpx);
            Session a = rt.open(SessionOptions.oneShot(agent, acpx.cwd));
            Session b = rt.open(SessionOptions.persistent(agent, acpx.cwd));
            assertEquals(2, rt.slotsInUse());
            Acpx.Result r = acpx.run("--agent", Acpx.mockAgent(), "exec", "echo from outside");
            assertEquals(1, r.code(), r::toString);
            assertTrue(r.err().contains("maxConcurrentSessions (2) reached"), r::toString);
            a.close();
            r = acpx.run("--agent", Acpx.mockAgent(), "exec", "echo from outside");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().contains("from outside"), r::toString);
            b.close();
        }
    }

    @Test
    void closingTheRuntimeClosesOneShotWorkAndEndsEveryAgent() throws Exception {
        AcpxRuntime rt = EmbeddedHost.runtime(acpx).build();
        AgentRef agent = EmbeddedHost.mockAgent(rt, acpx);
        for (int i = 0; i < 4; i++) {
            rt.open(SessionOptions.oneShot(agent, acpx.cwd)).prompt("echo " + i, e -> { });
        }
        Session slow = rt.open(SessionOptions.oneShot(agent, acpx.cwd));
        // The turn runs on another thread: its outcome is carried back and judged here, where a
        // failed assertion fails the test.
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread turn = Thread.ofVirtual().start(() -> {
            try {
                slow.prompt("slow 30000", ev -> { });
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        waitFor(() -> slow.status().turnRunning() && slow.status().agentPid() != null, "the slow turn to start");
        assertEquals(5, rt.statuses().size());
        rt.close();
        Throwable ended = outcome.get(30, TimeUnit.SECONDS);
        AcpxException e = assertInstanceOf(AcpxException.class, ended, "the running turn must fail with the runtime");
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        turn.join(5000);
        assertFalse(turn.isAlive(), "the running turn ended with the runtime");
        assertEquals(5, EmbeddedHost.count(acpx.home, "oneshot"));
        assertThrows(AcpxException.class, () -> rt.open(SessionOptions.oneShot(agent, acpx.cwd)));
    }

    @Test
    void normalJvmExitAndSigkillLeaveNothingThatCounts() throws Exception {
        for (String how : List.of("exit", "kill")) {
            Process child = EmbeddedChild.start(acpx, how);
            try {
                String line = EmbeddedChild.awaitReady(child, Duration.ofSeconds(60));
                assertEquals("READY", line, "child said: " + line);
                if (how.equals("kill")) {
                    child.destroyForcibly();
                }
                assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), how);
            } finally {
                child.destroyForcibly();
            }
            assertEquals(List.of(), Procs.awaitNone(acpx.marker, 8000), how + ": agents left running");
            try (AcpxRuntime rt = EmbeddedHost.runtime(acpx).shutdownHook(false).build()) {
                assertEquals(0, rt.slotsInUse(), how + ": slots still held");
                AgentRef agent = EmbeddedHost.mockAgent(rt, acpx);
                List<SessionInfo> all = rt.listSessions(agent).sessions(); // reaps stale one-shot records
                assertTrue(all.stream().noneMatch(SessionInfo::running), how + ": " + all);
            }
            assertEquals(List.of(), EmbeddedHost.openOneShotRecords(acpx.home), how);
        }
        assertEquals(6, EmbeddedHost.count(acpx.home, "oneshot"));
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(20);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
