package dev.acpx.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.jsonrpc.Direction;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's queue in memory, over a scripted host: arrival order, cancel of a waiting and of the
 * running turn, the idle timer, and the journal hook's order (started, messages, ended).
 */
@Timeout(60)
class SessionEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<SessionEngine> engines = new ArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(e -> e.shutdown("test_end"));
    }

    /**
     * A host whose turn reports its prompt as an ACP message out and one in (as an agent connection
     * would, through the journal), emits one text event, then waits until released, cancelled or closed.
     */
    private static final class ScriptedHost implements SessionHost {
        final JournalHook journal;
        final List<String> ran = new CopyOnWriteArrayList<>();
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger cancels = new AtomicInteger();
        volatile CountDownLatch started = new CountDownLatch(1);
        private final Object signal = new Object();
        private boolean released;
        private boolean cancelRequested;
        private String closed;
        private final boolean holdTurns;

        ScriptedHost(JournalHook journal, boolean holdTurns) {
            this.journal = journal;
            this.holdTurns = holdTurns;
        }

        @Override
        public TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events) {
            if (active.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                ran.add(prompt);
                journal.message(Direction.OUT, "{\"method\":\"session/prompt\",\"text\":\"" + prompt + "\"}");
                events.onEvent(new TurnEvent.AgentText(prompt));
                started.countDown();
                boolean cancelled;
                synchronized (signal) {
                    long end = System.nanoTime() + WAIT.toNanos();
                    while (holdTurns && !released && !cancelRequested && closed == null && System.nanoTime() < end) {
                        signal.wait(100);
                    }
                    if (closed != null) {
                        throw new AcpxException(ErrorKind.RUNTIME, "closed: " + closed);
                    }
                    cancelled = cancelRequested;
                    cancelRequested = false;
                }
                StopReason stop = cancelled ? StopReason.CANCELLED : StopReason.END_TURN;
                journal.message(Direction.IN, "{\"result\":{\"stopReason\":\"" + stop.value() + "\"}}");
                return new TurnResult(stop, 0, 0, "acp-1", "rec-1");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted");
            } finally {
                active.decrementAndGet();
            }
        }

        void release() {
            synchronized (signal) {
                released = true;
                signal.notifyAll();
            }
        }

        @Override
        public boolean cancelCurrent() {
            synchronized (signal) {
                if (active.get() == 0) {
                    return false;
                }
                cancels.incrementAndGet();
                cancelRequested = true;
                signal.notifyAll();
                return true;
            }
        }

        @Override
        public void setMode(String modeId) {
        }

        @Override
        public String setConfigOption(String key, String value) {
            return key + "=" + value;
        }

        @Override
        public HostStatus status() {
            return new HostStatus(null, "scripted", "/", "acp-1", null, null);
        }

        @Override
        public void close(String reason) {
            synchronized (signal) {
                closed = reason;
                signal.notifyAll();
            }
        }
    }

    /** A turn's sink and events, collected for assertions on this thread. */
    private static final class Caller implements TurnSink {
        final CompletableFuture<TurnOutcome> outcome = new CompletableFuture<>();
        final List<Integer> positions = new CopyOnWriteArrayList<>();
        final List<TurnEvent> events = new CopyOnWriteArrayList<>();

        EngineTurn turn(String id, String prompt) {
            return new EngineTurn(id, prompt, PermissionPolicies.approveAll(), null, events::add, this);
        }

        @Override
        public void accepted(int position) {
            positions.add(position);
        }

        @Override
        public void finished(TurnOutcome last) {
            if (!outcome.complete(last)) {
                throw new AssertionError("finished twice");
            }
        }

        TurnOutcome await() throws Exception {
            return outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        StopReason stopReason() throws Exception {
            return assertInstanceOf(TurnOutcome.Completed.class, await()).result().stopReason();
        }
    }

    private record Started(SessionEngine engine, CompletableFuture<ScriptedHost> host, CompletableFuture<String> stopped) {
        ScriptedHost awaitHost() throws Exception {
            return host.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Started start(Duration ttl, boolean holdTurns, JournalHook journal) {
        CompletableFuture<ScriptedHost> host = new CompletableFuture<>();
        CompletableFuture<String> stopped = new CompletableFuture<>();
        SessionEngine engine = new SessionEngine("rec-1", 8, ttl, j -> {
            ScriptedHost h = new ScriptedHost(j, holdTurns);
            host.complete(h);
            return h;
        }, journal, Clock.systemUTC(), stopped::complete);
        engines.add(engine);
        engine.start();
        return new Started(engine, host, stopped);
    }

    @Test
    void turnsRunOneAtATimeInArrivalOrder() throws Exception {
        Started s = start(Duration.ZERO, true, JournalHook.NONE);
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Caller c = new Caller();
            callers.add(c);
            s.engine().submit(c.turn("r" + i, "p" + i));
        }
        ScriptedHost host = s.awaitHost();
        host.release();
        for (Caller c : callers) {
            assertEquals(StopReason.END_TURN, c.stopReason());
        }
        assertEquals(List.of("p0", "p1", "p2", "p3", "p4"), host.ran);
        assertEquals(0, host.overlaps.get());
        // Positions as each turn was queued: the first starts at once, each later one waits behind the rest.
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(i), callers.get(i).positions);
        }
        assertEquals(List.of(new TurnEvent.AgentText("p3")), callers.get(3).events);
        assertEquals(5, s.engine().status().turnsCompleted());
    }

    @Test
    void aWaitingTurnCancelledByIdNeverRuns() throws Exception {
        Started s = start(Duration.ZERO, true, JournalHook.NONE);
        Caller first = new Caller();
        Caller second = new Caller();
        Caller third = new Caller();
        s.engine().submit(first.turn("a", "first"));
        s.engine().submit(second.turn("b", "second"));
        s.engine().submit(third.turn("c", "third"));
        ScriptedHost host = s.awaitHost();
        assertTrue(host.started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));

        CancelResult c = s.engine().cancel("b");
        assertTrue(c.applied(), c.message());
        assertEquals(StopReason.CANCELLED, second.stopReason());
        assertEquals(List.of(new TurnEvent.Done(StopReason.CANCELLED)), second.events);
        assertEquals(0, host.cancels.get(), "a waiting turn is dropped, not cancelled at the agent");
        host.release();
        assertEquals(StopReason.END_TURN, first.stopReason());
        assertEquals(StopReason.END_TURN, third.stopReason());
        assertEquals(List.of("first", "third"), host.ran);
        assertFalse(s.engine().cancel("b").applied(), "a turn that is gone cannot be cancelled again");
    }

    @Test
    void aCancelWhileTheAgentStartsCancelsTheTurnThatWaitsForIt() throws Exception {
        // To its caller the first turn already runs ("[client] initialize"): a cancel then must end it,
        // not answer "nothing to cancel" and leave it to run once the agent is up.
        CountDownLatch agentUp = new CountDownLatch(1);
        CompletableFuture<ScriptedHost> opened = new CompletableFuture<>();
        SessionEngine engine = new SessionEngine("rec-1", 8, Duration.ZERO, j -> {
            try {
                agentUp.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ScriptedHost h = new ScriptedHost(j, true);
            opened.complete(h);
            return h;
        }, JournalHook.NONE, Clock.systemUTC(), reason -> { });
        engines.add(engine);
        engine.start();
        Caller first = new Caller();
        Caller second = new Caller();
        engine.submit(first.turn("a", "first"));
        engine.submit(second.turn("b", "second"));
        CancelResult c = engine.cancel(null);
        assertTrue(c.applied(), c.message());
        assertEquals(StopReason.CANCELLED, first.stopReason());
        // Like every turn that ends with a stop reason, its events end with Done.
        assertEquals(List.of(new TurnEvent.Done(StopReason.CANCELLED)), first.events);
        agentUp.countDown();
        ScriptedHost host = opened.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(host.started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the next turn runs");
        host.release();
        assertEquals(StopReason.END_TURN, second.stopReason());
        assertEquals(List.of("second"), host.ran, "the cancelled turn never reached the agent");
    }

    @Test
    void theRunningTurnIsCancelledAtTheAgentAndTheNextOneRuns() throws Exception {
        Started s = start(Duration.ZERO, true, JournalHook.NONE);
        Caller running = new Caller();
        Caller next = new Caller();
        s.engine().submit(running.turn("a", "long"));
        s.engine().submit(next.turn("b", "next"));
        ScriptedHost host = s.awaitHost();
        assertTrue(host.started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        host.started = new CountDownLatch(1);

        assertTrue(s.engine().cancel("a").applied());
        assertEquals(StopReason.CANCELLED, running.stopReason());
        assertEquals(1, host.cancels.get());
        assertTrue(host.started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the next turn did not start");
        assertTrue(s.engine().cancel(null).applied(), "null cancels whatever runs");
        assertEquals(StopReason.CANCELLED, next.stopReason());
        assertFalse(s.engine().cancel(null).applied(), "nothing runs any more");
    }

    @Test
    void theIdleTimerNeverFiresDuringATurnAndDoesAfterIt() throws Exception {
        Duration ttl = Duration.ofMillis(300);
        Started s = start(ttl, true, JournalHook.NONE);
        Caller caller = new Caller();
        s.engine().submit(caller.turn("a", "long"));
        ScriptedHost host = s.awaitHost();
        assertTrue(host.started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        // Five TTLs into the turn: the engine still serves.
        Thread.sleep(ttl.toMillis() * 5);
        assertFalse(s.stopped().isDone(), "the idle timer fired during a turn");
        assertEquals("running", s.engine().status().state());
        host.release();
        assertEquals(StopReason.END_TURN, caller.stopReason());
        assertEquals("ttl_expired", s.stopped().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        // A turn that comes after the engine stopped is refused, as retryable elsewhere.
        Caller late = new Caller();
        s.engine().submit(late.turn("z", "late"));
        TurnOutcome.Failed refused = assertInstanceOf(TurnOutcome.Failed.class, late.await());
        assertTrue(refused.retryElsewhere());
        assertEquals(List.of(), late.positions);
    }

    @Test
    void theJournalHearsStartedThenTheMessagesThenTheOutcomeOfEachTurn() throws Exception {
        List<String> journal = new CopyOnWriteArrayList<>();
        JournalHook hook = new JournalHook() {
            @Override
            public void turnStarted(String requestId, String prompt) {
                journal.add("started " + requestId);
            }

            @Override
            public void message(Direction direction, String json) {
                journal.add(direction + " " + json);
            }

            @Override
            public void turnEnded(String requestId, TurnOutcome outcome) {
                journal.add("ended " + requestId + " " + switch (outcome) {
                    case TurnOutcome.Completed c -> c.result().stopReason().value();
                    case TurnOutcome.Failed f -> "failed";
                });
            }
        };
        Started s = start(Duration.ZERO, false, hook);
        Caller one = new Caller();
        Caller two = new Caller();
        s.engine().submit(one.turn("r1", "hello"));
        s.engine().submit(two.turn("r2", "again"));
        assertEquals(StopReason.END_TURN, one.stopReason());
        assertEquals(StopReason.END_TURN, two.stopReason());
        assertEquals(List.of(
                "started r1",
                "OUT {\"method\":\"session/prompt\",\"text\":\"hello\"}",
                "IN {\"result\":{\"stopReason\":\"end_turn\"}}",
                "ended r1 end_turn",
                "started r2",
                "OUT {\"method\":\"session/prompt\",\"text\":\"again\"}",
                "IN {\"result\":{\"stopReason\":\"end_turn\"}}",
                "ended r2 end_turn"), journal);
    }

    @Test
    void shutdownFailsTheRunningTurnAndTellsTheWaitingOnes() throws Exception {
        Started s = start(Duration.ZERO, true, JournalHook.NONE);
        Caller running = new Caller();
        Caller waiting = new Caller();
        s.engine().submit(running.turn("a", "long"));
        s.engine().submit(waiting.turn("b", "queued"));
        assertTrue(s.awaitHost().started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        s.engine().shutdown("closed_by_test");
        TurnOutcome.Failed ran = assertInstanceOf(TurnOutcome.Failed.class, running.await());
        assertTrue(ran.error().getMessage().contains("closed_by_test"), ran.error().getMessage());
        TurnOutcome.Failed queued = assertInstanceOf(TurnOutcome.Failed.class, waiting.await());
        assertTrue(queued.error().getMessage().contains("before this turn ran"), queued.error().getMessage());
        assertEquals("closed_by_test", s.stopped().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(List.of("long"), s.awaitHost().ran);
    }
}
