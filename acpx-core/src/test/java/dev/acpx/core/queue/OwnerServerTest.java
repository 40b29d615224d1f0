package dev.acpx.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import dev.acpx.core.lifecycle.HostFileLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class OwnerServerTest {

    private static final String RECORD = "rec-1234";

    @TempDir
    Path home;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<OwnerServer> owners = new ArrayList<>();

    @AfterEach
    void stopOwners() throws Exception {
        for (OwnerServer owner : owners) {
            owner.shutdown("test_end");
            owner.awaitExit(Duration.ofSeconds(10));
        }
    }

    private QueuePaths paths() {
        return new QueuePaths(home);
    }

    private OwnerServer start(FakeSessionHost host, OwnerSettings settings) {
        OwnerServer owner = OwnerServer.start(paths(), RECORD, settings, journal -> host, mapper, Clock.systemUTC())
                .orElseThrow();
        owners.add(owner);
        return owner;
    }

    private OwnerClient client() {
        return OwnerClient.connect(paths(), RECORD, mapper, Duration.ofSeconds(5));
    }

    private static String text(List<TurnEvent> events) {
        StringBuilder b = new StringBuilder();
        for (TurnEvent e : events) {
            if (e instanceof TurnEvent.AgentText t) {
                b.append(b.isEmpty() ? "" : " ").append(t.text());
            }
        }
        return b.toString();
    }

    @Test
    void twentySubmittersRunOneAtATimeInArrivalOrderAndEachGetsItsOwnEvents() throws Exception {
        FakeSessionHost host = new FakeSessionHost(20);
        start(host, OwnerSettings.of(32, Duration.ZERO));
        OwnerClient client = client();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        CountDownLatch previousAccepted = new CountDownLatch(0);
        for (int i = 0; i < 20; i++) {
            String prompt = "turn " + i + " words";
            CountDownLatch mine = new CountDownLatch(1);
            CountDownLatch before = previousAccepted;
            CompletableFuture<String> answer = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    before.await();
                    List<TurnEvent> events = new CopyOnWriteArrayList<>();
                    TurnResult result = client.submit(OwnerClient.newRequestId(), TurnRequest.of(prompt), false,
                            events::add, position -> mine.countDown());
                    assertEquals(StopReason.END_TURN, result.stopReason());
                    answer.complete(text(events));
                } catch (Throwable t) {
                    answer.completeExceptionally(t);
                }
            });
            previousAccepted = mine;
            answers.add(answer);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("turn " + i + " words", answers.get(i).get(30, TimeUnit.SECONDS));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("turn " + i + " words");
        }
        assertEquals(expected, host.prompts);
        assertEquals(0, host.overlaps.get());
    }

    @Test
    void twentySimultaneousSubmittersAllCompleteWithoutOverlap() throws Exception {
        FakeSessionHost host = new FakeSessionHost(5);
        start(host, OwnerSettings.of(32, Duration.ZERO));
        OwnerClient client = client();
        CyclicBarrier barrier = new CyclicBarrier(20);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String prompt = "p" + i;
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                List<TurnEvent> events = new CopyOnWriteArrayList<>();
                client.submit(TurnRequest.of(prompt), false, events::add);
                return text(events);
            }, r -> Thread.ofVirtual().start(r)));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("p" + i, answers.get(i).get(30, TimeUnit.SECONDS));
        }
        assertEquals(20, host.prompts.size());
        assertEquals(0, host.overlaps.get());
    }

    @Test
    void aFullQueueIsAnImmediateClearError() throws Exception {
        FakeSessionHost host = new FakeSessionHost(30_000);
        start(host, OwnerSettings.of(2, Duration.ZERO));
        OwnerClient client = client();
        assertNull(client.submit(TurnRequest.of("running"), true, e -> { }));
        assertTrue(host.turnStarted.await(10, TimeUnit.SECONDS));
        client.submit(TurnRequest.of("waiting one"), true, e -> { });
        client.submit(TurnRequest.of("waiting two"), true, e -> { });
        long start = System.nanoTime();
        AcpxException e = assertThrows(AcpxException.class, () -> client.submit(TurnRequest.of("too many"), false, ev -> { }));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
        assertEquals(ErrorKind.RUNTIME, e.kind());
        assertEquals("queue full (2 turns waiting) for session " + RECORD + "; wait or raise queueMaxDepth",
                e.getMessage());
    }

    @Test
    void noWaitReturnsOnceAcceptedAndTheTurnStillRuns() throws Exception {
        FakeSessionHost host = new FakeSessionHost(500);
        start(host, OwnerSettings.of(16, Duration.ZERO));
        OwnerClient client = client();
        long start = System.nanoTime();
        assertNull(client.submit(TurnRequest.of("background work"), true, e -> { }));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(400), "noWait must not wait for the turn");
        assertTrue(host.turnStarted.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("background work"), host.prompts);
        OwnerStatus status = client.status();
        assertEquals("running", status.state());
    }

    @Test
    void cancelStopsTheRunningTurnAndIsANoOpWhenIdle() throws Exception {
        FakeSessionHost host = new FakeSessionHost(30_000);
        start(host, OwnerSettings.of(16, Duration.ZERO));
        OwnerClient client = client();
        assertFalse(client.cancel(), "nothing to cancel while idle");
        CompletableFuture<TurnResult> result = CompletableFuture.supplyAsync(
                () -> client.submit(TurnRequest.of("long"), false, e -> { }), r -> Thread.ofVirtual().start(r));
        assertTrue(host.turnStarted.await(10, TimeUnit.SECONDS));
        assertTrue(client.cancel());
        assertEquals(StopReason.CANCELLED, result.get(5, TimeUnit.SECONDS).stopReason());
    }

    @Test
    void cancellingAQueuedTurnByIdRemovesItBeforeItRuns() throws Exception {
        FakeSessionHost host = new FakeSessionHost(30_000);
        start(host, OwnerSettings.of(16, Duration.ZERO));
        OwnerClient client = client();
        client.submit(TurnRequest.of("first"), true, e -> { });
        assertTrue(host.turnStarted.await(10, TimeUnit.SECONDS));
        String id = OwnerClient.newRequestId();
        CountDownLatch accepted = new CountDownLatch(1);
        CompletableFuture<TurnResult> queued = CompletableFuture.supplyAsync(
                () -> client.submit(id, TurnRequest.of("second"), false, e -> { }, p -> accepted.countDown()),
                r -> Thread.ofVirtual().start(r));
        assertTrue(accepted.await(10, TimeUnit.SECONDS));
        assertTrue(client.cancel(id));
        assertEquals(StopReason.CANCELLED, queued.get(5, TimeUnit.SECONDS).stopReason());
        assertEquals(List.of("first"), host.prompts);
        assertEquals(0, client.status().queueDepth());
    }

    @Test
    void aCallerThatDisconnectsMidTurnDoesNotStallTheOwner() throws Exception {
        FakeSessionHost host = new FakeSessionHost(300);
        start(host, OwnerSettings.of(16, Duration.ZERO));
        try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(paths().socket(RECORD)));
            write(raw, new IpcCodec(mapper).encode(new IpcRequest.Submit("gone", TurnRequest.of("abandoned"), false)));
            assertTrue(readLine(raw).contains("\"accepted\""));
        }
        List<TurnEvent> events = new CopyOnWriteArrayList<>();
        TurnResult result = client().submit(TurnRequest.of("next one"), false, events::add);
        assertEquals(StopReason.END_TURN, result.stopReason());
        assertEquals("next one", text(events));
        assertEquals(List.of("abandoned", "next one"), host.prompts);
    }

    @Test
    void aCallerThatStopsReadingHoldsItsTurnBackUntilTheStallLimitThenTheOwnerGoesOn() throws Exception {
        // 16 MB of events to a caller that never reads: far beyond any socket buffer and the outbox.
        String chunk = "y".repeat(16 * 1024);
        FakeSessionHost host = new FakeSessionHost(0).withExtraEvents(l -> {
            for (int i = 0; i < 1024; i++) {
                l.onEvent(new TurnEvent.AgentText(chunk));
            }
        });
        start(host, OwnerSettings.of(16, Duration.ZERO).withCallerStallLimit(Duration.ofSeconds(3)));
        try (SocketChannel stalled = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            stalled.connect(UnixDomainSocketAddress.of(paths().socket(RECORD)));
            write(stalled, new IpcCodec(mapper).encode(new IpcRequest.Submit("stalled", TurnRequest.of("flood"), false)));
            long start = System.nanoTime();
            TurnResult result = client().submit(TurnRequest.of("after"), false, e -> { });
            long waited = System.nanoTime() - start;
            assertEquals(StopReason.END_TURN, result.stopReason());
            assertTrue(waited >= TimeUnit.SECONDS.toNanos(2), "the flood waited for its caller: " + waited);
            assertTrue(waited < TimeUnit.SECONDS.toNanos(40), "then the owner went on: " + waited);
            assertEquals(List.of("flood", "after"), host.prompts);
        }
    }

    @Test
    void aSlowCallerIsWaitedForAndGetsEveryEvent() throws Exception {
        // 80 MB of events, more than the owner ever buffered for one caller before it dropped it.
        String chunk = "z".repeat(16 * 1024);
        int count = 5 * 1024;
        FakeSessionHost host = new FakeSessionHost(0).withExtraEvents(l -> {
            for (int i = 0; i < count; i++) {
                l.onEvent(new TurnEvent.AgentText(chunk));
            }
        });
        start(host, OwnerSettings.of(16, Duration.ZERO).withCallerStallLimit(Duration.ofSeconds(30)));
        IpcCodec codec = new IpcCodec(mapper);
        try (SocketChannel slow = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            slow.connect(UnixDomainSocketAddress.of(paths().socket(RECORD)));
            write(slow, codec.encode(new IpcRequest.Submit("slow", TurnRequest.of("flood"), false)));
            Thread.sleep(3000); // reads nothing for a while: the turn must wait, not drop us
            LineChannel lines = new LineChannel(slow);
            int texts = 0;
            long chars = 0;
            IpcReply reply;
            while (!((reply = codec.decodeReply(lines.readMessage())) instanceof IpcReply.Done)) {
                if (reply instanceof IpcReply.Event(IpcEvent.AgentText t)) {
                    texts++;
                    chars += t.text().length();
                    if (texts % 512 == 0) {
                        Thread.sleep(100); // and keeps reading slowly
                    }
                }
            }
            assertTrue(count <= texts, "every event arrived: " + texts);
            assertTrue((long) count * chunk.length() <= chars, "every byte arrived: " + chars);
        }
    }

    @Test
    void ttlIsMeasuredFromTheEndOfTheLastTurnThenClosesTheHostAndRemovesTheSocket() throws Exception {
        FakeSessionHost host = new FakeSessionHost(800);
        OwnerServer owner = start(host, OwnerSettings.of(16, Duration.ofMillis(300)));
        OwnerClient client = client();
        // Two turns of 800 ms each under a 300 ms TTL: the timer must not fire while one runs or waits.
        client.submit(TurnRequest.of("queued behind"), true, e -> { });
        TurnResult second = client.submit(TurnRequest.of("second"), false, e -> { });
        assertEquals(StopReason.END_TURN, second.stopReason());
        assertEquals(List.of("queued behind", "second"), host.prompts);
        assertTrue(client.ping(), "the owner stays up right after a turn");
        assertEquals("ttl_expired", owner.exited().get(10, TimeUnit.SECONDS));
        assertEquals("ttl_expired", host.closeReason);
        assertFalse(Files.exists(paths().socket(RECORD)), "socket file removed");
        assertFalse(HostFileLock.isHeld(paths().ownerLock(RECORD)), "owner lock released");
        assertFalse(client.ping());
    }

    @Test
    void statusDuringATurnShowsTheRunningTurnTheQueueAndTheHost() throws Exception {
        FakeSessionHost host = new FakeSessionHost(30_000);
        start(host, OwnerSettings.of(16, Duration.ofSeconds(300)));
        OwnerClient client = client();
        // The host opens on the engine's thread: "starting" until then (the socket serves meanwhile).
        OwnerStatus idle = client.status();
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); idle.state().equals("starting")
                && System.nanoTime() < end; idle = client.status()) {
            Thread.sleep(10);
        }
        assertEquals("idle", idle.state());
        assertNotNull(idle.idleSince());
        String id = OwnerClient.newRequestId();
        client.submit(id, TurnRequest.of("long"), true, e -> { });
        assertTrue(host.turnStarted.await(10, TimeUnit.SECONDS));
        client.submit(TurnRequest.of("behind"), true, e -> { });
        OwnerStatus busy = client.status();
        assertEquals("running", busy.state());
        assertEquals(id, busy.runningRequestId());
        assertEquals(1, busy.queueDepth());
        assertNull(busy.idleSince());
        assertEquals(ProcessHandle.current().pid(), busy.ownerPid());
        assertEquals(300_000, busy.ttlMillis());
        assertEquals(4242L, busy.host().agentPid());
        assertEquals("acp-1", busy.host().acpSessionId());
    }

    @Test
    void setModeAndSetConfigGoThroughTheOwnerWhileATurnRuns() throws Exception {
        FakeSessionHost host = new FakeSessionHost(30_000);
        start(host, OwnerSettings.of(16, Duration.ZERO));
        OwnerClient client = client();
        client.submit(TurnRequest.of("long"), true, e -> { });
        assertTrue(host.turnStarted.await(10, TimeUnit.SECONDS));
        client.setMode("code");
        assertEquals(List.of("code"), host.modes);
        assertEquals("model set to gpt-5", client.setConfig("model", "gpt-5"));
        AcpxException e = assertThrows(AcpxException.class, () -> client.setMode("bogus"));
        assertEquals(ErrorKind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("the agent offers"));
    }

    @Test
    void malformedLinesAndUnknownTypesGetErrorRepliesAndTheOwnerCarriesOn() throws Exception {
        start(new FakeSessionHost(0), OwnerSettings.of(16, Duration.ZERO));
        IpcCodec codec = new IpcCodec(mapper);
        try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(paths().socket(RECORD)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(raw), StandardCharsets.UTF_8));
            for (String bad : List.of("{oops", "[]", "{\"type\":\"launch_missiles\"}", "\u0000\u0001")) {
                write(raw, bad);
                IpcReply reply = codec.decodeReply(in.readLine());
                IpcReply.Error error = (IpcReply.Error) reply;
                assertEquals(ErrorKind.USAGE, error.kind());
            }
            write(raw, codec.encode(new IpcRequest.Ping()));
            assertEquals(new IpcReply.Ok(true, OwnerClient.pong()), codec.decodeReply(in.readLine()));
        }
        assertTrue(client().ping());
    }

    @Test
    void aCallerOfAnotherQueueProtocolIsRefusedAndTakesTheOwnerForAnotherBuild() throws Exception {
        start(new FakeSessionHost(0), OwnerSettings.of(16, Duration.ZERO));
        IpcCodec codec = new IpcCodec(mapper);
        try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(paths().socket(RECORD)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(raw), StandardCharsets.UTF_8));
            // A caller of a build before versioning sends a bare ping: version 0.
            write(raw, "{\"type\":\"ping\"}");
            IpcReply.Error refusal = (IpcReply.Error) codec.decodeReply(in.readLine());
            assertTrue(refusal.message().contains("queue protocol " + IpcCodec.PROTOCOL_VERSION + ", not 0"),
                    refusal.message());
            assertFalse(refusal.retryable(), "a refusal, not a retiring owner");
            write(raw, codec.encode(new IpcRequest.Ping(IpcCodec.PROTOCOL_VERSION + 1)));
            assertTrue(codec.decodeReply(in.readLine()) instanceof IpcReply.Error);
        }
        // The same owner answers a caller of this version.
        assertEquals(OwnerClient.Probe.SERVING, client().probe(Deadline.after(Duration.ofSeconds(10))));
    }

    @Test
    void onlyOneOwnerPerSessionAndAStaleSocketFileIsReplaced() throws Exception {
        paths().ensureDirectory();
        Files.writeString(paths().socket(RECORD), "left by a dead owner");
        start(new FakeSessionHost(0), OwnerSettings.of(16, Duration.ZERO));
        assertTrue(client().ping());
        Optional<OwnerServer> second = OwnerServer.start(paths(), RECORD, OwnerSettings.defaults(),
                journal -> new FakeSessionHost(0), mapper, Clock.systemUTC());
        assertTrue(second.isEmpty());
    }

    @Test
    void shutdownEndsTheRunningTurnTellsWaitersAndClosesTheHost() throws Exception {
        FakeSessionHost host = new FakeSessionHost(30_000);
        OwnerServer owner = start(host, OwnerSettings.of(16, Duration.ZERO));
        OwnerClient client = client();
        CompletableFuture<TurnResult> running = CompletableFuture.supplyAsync(
                () -> client.submit(TurnRequest.of("running"), false, e -> { }), r -> Thread.ofVirtual().start(r));
        assertTrue(host.turnStarted.await(10, TimeUnit.SECONDS));
        CountDownLatch accepted = new CountDownLatch(1);
        CompletableFuture<TurnResult> waiting = CompletableFuture.supplyAsync(
                () -> client.submit(OwnerClient.newRequestId(), TurnRequest.of("waiting"), false, e -> { },
                        p -> accepted.countDown()), r -> Thread.ofVirtual().start(r));
        assertTrue(accepted.await(10, TimeUnit.SECONDS));
        owner.shutdown("owner_terminated");
        assertEquals("owner_terminated", owner.exited().get(10, TimeUnit.SECONDS));
        assertEquals("owner_terminated", host.closeReason);
        Exception runningFailure = assertThrows(Exception.class, () -> running.get(5, TimeUnit.SECONDS));
        assertTrue(runningFailure.getCause().getMessage().contains("agent stopped"), runningFailure.toString());
        Exception waitingFailure = assertThrows(Exception.class, () -> waiting.get(5, TimeUnit.SECONDS));
        assertTrue(waitingFailure.getCause().getMessage().contains("before this turn ran"), waitingFailure.toString());
        assertEquals(List.of("running"), host.prompts);
        assertFalse(Files.exists(paths().socket(RECORD)));
    }

    @Test
    void aHostThatFailsToOpenFailsQueuedTurnsWithItsMessage() throws Exception {
        OwnerServer owner = OwnerServer.start(paths(), RECORD, OwnerSettings.of(16, Duration.ZERO), journal -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            throw new AcpxException(ErrorKind.RUNTIME, "agent 'nope' not found; install it or fix agents.nope");
        }, mapper, Clock.systemUTC()).orElseThrow();
        owners.add(owner);
        AcpxException e = assertThrows(AcpxException.class,
                () -> new OwnerClient(paths(), RECORD, mapper).submit(TurnRequest.of("x"), false, ev -> { }));
        assertTrue(e.getMessage().contains("agent 'nope' not found"), e.getMessage());
        assertEquals("agent_start_failed", owner.exited().get(10, TimeUnit.SECONDS));
    }

    private static void write(SocketChannel channel, String line) throws Exception {
        OutputStream out = Channels.newOutputStream(channel);
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(SocketChannel channel) throws Exception {
        return new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))
                .readLine();
    }
}
