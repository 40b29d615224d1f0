package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.Session;
import dev.acpx.api.SessionOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that never answers {@code initialize} (HostileAgent stall-initialize, like one waiting
 * for a login): the handshake has its own limit, and closing while it stalls returns at once and
 * takes the agent with it, embedded (Session.close, AcpxRuntime.close) and through the CLI
 * ({@code sessions close} while the owner is starting the agent).
 */
@Timeout(180)
class StalledStartTest {
    @TempDir
    Path tmp;
    Acpx acpx;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        acpx.env.put("ACPX_NO_TRAIN", "1");
        acpx.env.put("HOSTILE_AGENT_LIFETIME_SECONDS", "120");
        Files.createDirectories(acpx.cwd.resolve(".git"));
    }

    @AfterEach
    void nothingLeft() throws Exception {
        List<String> left = Procs.awaitNone(acpx.marker, 10000);
        left.forEach(p -> ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' '))))
                .ifPresent(ProcessHandle::destroyForcibly));
        assertEquals(List.of(), left, "processes left behind");
    }

    private static String stallingAgent() throws Exception {
        return HostileAgentCliTest.agent("stall-initialize");
    }

    /**
     * The stalling agent's process once it runs: a child of this JVM (embedded) or of an owner
     * (marked). Matched on its own arguments: the CLI processes carry the same text inside their
     * one {@code --agent} argument, and must not be taken for it.
     */
    private Optional<ProcessHandle> stalledAgent() {
        Optional<ProcessHandle> child = ProcessHandle.current().descendants().filter(StalledStartTest::isStallingAgent)
                .findFirst();
        if (child.isPresent()) {
            return child;
        }
        return Procs.withMarker(acpx.marker).stream().map(p -> Long.parseLong(p.substring(0, p.indexOf(' '))))
                .map(ProcessHandle::of).flatMap(Optional::stream).filter(StalledStartTest::isStallingAgent).findFirst();
    }

    private static boolean isStallingAgent(ProcessHandle h) {
        List<String> args = List.of(h.info().arguments().orElse(new String[0]));
        int main = args.indexOf(HostileAgent.class.getName());
        return h.isAlive() && main >= 0 && main + 1 < args.size() && args.get(main + 1).equals("stall-initialize");
    }

    private ProcessHandle awaitStalledAgent() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            Optional<ProcessHandle> agent = stalledAgent();
            if (agent.isPresent()) {
                Thread.sleep(500); // let initialize reach it: the close must interrupt a real stall
                return agent.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the stalling agent never started");
    }

    @Test
    void sessionCloseDuringAStalledInitializeReturnsAndEndsTheAgent() throws Exception {
        AcpxRuntime rt = EmbeddedHost.runtime(acpx).build();
        try {
            AgentRef agent = rt.resolveAgent(stallingAgent(), true, acpx.cwd);
            Session s = rt.open(SessionOptions.persistent(agent, acpx.cwd));
            CompletableFuture<Throwable> turn = new CompletableFuture<>();
            Thread prompter = Thread.ofPlatform().start(() -> {
                try {
                    s.prompt("never runs", e -> { });
                    turn.complete(null);
                } catch (Throwable t) {
                    turn.complete(t);
                }
            });
            ProcessHandle stalled = awaitStalledAgent();
            long started = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close,
                    r -> Thread.ofPlatform().daemon().start(r));
            closing.get(30, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("[stalled-start] Session.close during initialize: " + ms + " ms");
            assertTrue(stalled.onExit().isDone() || !stalled.isAlive(), "the stalled agent is gone");
            Throwable failure = turn.get(30, TimeUnit.SECONDS);
            prompter.join(Duration.ofSeconds(5));
            assertNotNull(failure, "the waiting prompt failed rather than hang");
            assertInstanceOf(AcpxException.class, failure, () -> "got " + failure);
        } finally {
            closeBounded(rt);
        }
    }

    @Test
    void runtimeCloseDuringAStalledInitializeReturnsAndEndsTheAgent() throws Exception {
        AcpxRuntime rt = EmbeddedHost.runtime(acpx).build();
        AgentRef agent = rt.resolveAgent(stallingAgent(), true, acpx.cwd);
        Session s = rt.open(SessionOptions.oneShot(agent, acpx.cwd));
        CompletableFuture<Throwable> turn = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                s.prompt("never runs", e -> { });
                turn.complete(null);
            } catch (Throwable t) {
                turn.complete(t);
            }
        });
        ProcessHandle stalled = awaitStalledAgent();
        closeBounded(rt);
        assertFalse(stalled.isAlive(), "the stalled agent is gone");
        assertNotNull(turn.get(30, TimeUnit.SECONDS), "the waiting prompt failed rather than hang");
        assertEquals(List.of(), EmbeddedHost.openOneShotRecords(acpx.home), "the one-shot record is closed");
    }

    @Test
    void theHandshakeHasItsOwnLimit() throws Exception {
        try (AcpxRuntime rt = EmbeddedHost.runtime(acpx).build()) {
            AgentRef agent = rt.resolveAgent(stallingAgent(), true, acpx.cwd);
            try (Session s = rt.open(SessionOptions.persistent(agent, acpx.cwd)
                    .withHandshakeTimeout(Duration.ofSeconds(3)))) {
                long started = System.nanoTime();
                AcpxException e = org.junit.jupiter.api.Assertions.assertThrows(AcpxException.class,
                        () -> s.prompt("never runs", ev -> { }));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                System.out.println("[stalled-start] handshake limit of 3 s ended the prompt after " + ms + " ms");
                assertEquals(ErrorKind.TIMEOUT, e.kind(), e::getMessage);
                assertTrue(e.getMessage().contains("handshakeTimeout"), e.getMessage());
                assertTrue(stalledAgent().isEmpty() || !stalledAgent().get().isAlive(), "the agent was ended");
            }
        }
    }

    @Test
    void handshakeTimeoutFromTheConfigEndsACliPrompt() throws Exception {
        Path dir = Files.createDirectories(acpx.home.resolve(".acpx"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.writeString(dir.resolve("config.json"), "{\"handshakeTimeout\": 3}");
        Acpx.Result r = createThenStall();
        r = acpx.run(null, Duration.ofSeconds(90), "--agent", stallingAgent(), "prompt", "never runs");
        assertEquals(3, r.code(), r::toString);
        // The owner took the turn ([client] initialize was shown): its failure is an [error] section on stdout.
        assertTrue(r.out().contains("[error] TIMEOUT: ") && r.out().contains("handshakeTimeout"), r::toString);
        acpx.run("--agent", stallingAgent(), "sessions", "close");
    }

    @Test
    void cliSessionsCloseWhileTheOwnerStartsTheAgent() throws Exception {
        Acpx.Result r = createThenStall();
        Process prompt = acpx.start(null, "--agent", stallingAgent(), "prompt", "never runs");
        try {
            ProcessHandle stalled = awaitStalledAgent();
            long started = System.nanoTime();
            r = acpx.run(null, Duration.ofSeconds(60), "--agent", stallingAgent(), "sessions", "close");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            System.out.println("[stalled-start] sessions close while the owner starts the agent: " + ms + " ms");
            assertEquals(0, r.code(), r::toString);
            assertTrue(prompt.waitFor(30, TimeUnit.SECONDS), "the waiting prompt ended");
            assertTrue(prompt.exitValue() != 0, "the prompt did not succeed: " + acpx.read(prompt, "err"));
            // The owner's close ended the starting agent itself and told the waiting caller, rather
            // than hanging on it until `sessions close` killed the owner ("exited during the turn").
            // Where the message goes depends on whether the turn had begun (its [error] section is on stdout).
            String said = acpx.read(prompt, "out") + acpx.read(prompt, "err");
            assertTrue(said.contains("closed while its agent was starting"),
                    "prompt output: " + said + "\nowner log: " + ownerLogs());
            assertTrue(awaitGone(stalled, Duration.ofSeconds(20)), "the stalled agent is gone");
        } finally {
            prompt.destroyForcibly();
        }
    }

    /**
     * {@code sessions new} connects to the agent once (as the Node acpx does), so the agent answers
     * that start and stalls only from the next one on (HostileAgent's HOSTILE_STALL_FILE).
     */
    private Acpx.Result createThenStall() throws Exception {
        Path stall = acpx.home.resolve("stall-now");
        acpx.env.put("HOSTILE_STALL_FILE", stall.toString());
        Acpx.Result r = acpx.run("--agent", stallingAgent(), "sessions", "new");
        assertEquals(0, r.code(), r::toString);
        Files.createFile(stall);
        return r;
    }

    private static boolean awaitGone(ProcessHandle p, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (p.isAlive() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return !p.isAlive();
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

    /** AcpxRuntime.close on another thread, so that a hang fails the test instead of blocking it. */
    private static void closeBounded(AcpxRuntime rt) throws Exception {
        CompletableFuture.runAsync(rt::close, r -> Thread.ofPlatform().daemon().start(r)).get(30, TimeUnit.SECONDS);
    }
}
