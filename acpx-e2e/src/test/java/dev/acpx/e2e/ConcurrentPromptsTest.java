package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PromptRequest;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two prompts at once through one runtime, each to its own session's queue owner: each keeps its
 * own state, so cancelling one (interrupting its thread) cancels that turn only, and
 * {@link AcpxRuntime#interrupt()} cancels both. Outcomes are collected from the prompting threads
 * and asserted here.
 */
@Timeout(180)
class ConcurrentPromptsTest {
    @TempDir
    Path tmp;
    Acpx acpx;
    AcpxRuntime rt;
    AgentRef agent;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        Files.createDirectories(acpx.cwd.resolve(".git"));
        rt = EmbeddedHost.runtime(acpx).shutdownHook(false).build();
        agent = EmbeddedHost.mockAgent(rt, acpx);
        rt.newSession(agent, acpx.cwd, "a");
        rt.newSession(agent, acpx.cwd, "b");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String name : List.of("a", "b")) {
            rt.closeSession(agent, acpx.cwd, name);
        }
        rt.close();
        assertEquals(List.of(), EmbeddedHost.descendantsLeft(acpx, Duration.ofSeconds(10)), "processes left behind");
    }

    private PromptRequest request(String session, String text) {
        return new PromptRequest(agent, acpx.cwd, session, text,
                new dev.acpx.api.PermissionSettings(dev.acpx.api.PermissionMode.APPROVE_ALL,
                        dev.acpx.api.NonInteractivePermissions.DENY, null),
                null, null, null, false, Duration.ofSeconds(120));
    }

    /** A prompt on its own platform thread; {@code started} counts down at its first event. */
    private record Running(Thread thread, CompletableFuture<Object> outcome) {}

    private Running prompt(String session, String text, CountDownLatch started) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("prompt-" + session).start(() -> {
            try {
                outcome.complete(rt.prompt(request(session, text), e -> {
                    if (e instanceof TurnEvent.AgentText) {
                        started.countDown();
                    }
                }));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        return new Running(t, outcome);
    }

    private String ownerState(String session) {
        return rt.status(agent, acpx.cwd, session).ownerState();
    }

    private boolean awaitIdle(String session, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if ("idle".equals(ownerState(session))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void cancellingOnePromptLeavesTheOtherRunning() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        Running a = prompt("a", "slow 15000", started);
        Running b = prompt("b", "slow 60000", started);
        assertTrue(started.await(90, TimeUnit.SECONDS), "both turns started");

        b.thread().interrupt();
        Object bOutcome = b.outcome().get(30, TimeUnit.SECONDS);
        AcpxException e = assertInstanceOfAcpx(bOutcome);
        assertEquals(ErrorKind.INTERRUPTED, e.kind(), e::getMessage);
        assertTrue(awaitIdle("b", Duration.ofSeconds(20)), () -> "b's turn was cancelled on its owner (b: "
                + e.getMessage() + "; owner: " + ownerState("b") + ")" + EmbeddedHost.acpxThreads(acpx));
        assertNull(a.outcome().getNow(null), "a still runs while b was cancelled");

        Object aOutcome = a.outcome().get(60, TimeUnit.SECONDS);
        TurnResult result = assertInstanceOfResult(aOutcome);
        assertEquals(StopReason.END_TURN, result.stopReason(), "a ran to its end");
    }

    @Test
    void interruptCancelsEveryWaitingPrompt() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        Running a = prompt("a", "slow 60000", started);
        Running b = prompt("b", "slow 60000", started);
        assertTrue(started.await(90, TimeUnit.SECONDS), "both turns started");

        rt.interrupt();
        for (Running r : List.of(a, b)) {
            Object outcome = r.outcome().get(30, TimeUnit.SECONDS);
            TurnResult result = assertInstanceOfResult(outcome);
            assertEquals(StopReason.CANCELLED, result.stopReason(), r.thread().getName());
        }
    }

    private static AcpxException assertInstanceOfAcpx(Object outcome) {
        assertNotNull(outcome);
        if (outcome instanceof AcpxException e) {
            return e;
        }
        throw new AssertionError("expected an AcpxException, got " + outcome, outcome instanceof Throwable t ? t : null);
    }

    private static TurnResult assertInstanceOfResult(Object outcome) {
        assertNotNull(outcome);
        if (outcome instanceof TurnResult r) {
            return r;
        }
        throw new AssertionError("expected a turn result, got " + outcome, outcome instanceof Throwable t ? t : null);
    }
}
