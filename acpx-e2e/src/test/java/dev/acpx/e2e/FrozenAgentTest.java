package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.Session;
import dev.acpx.api.SessionOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that stops reading its stdin (SIGSTOPped) while more than a pipe buffer (64 KiB) is
 * to be written to it: the prompt still ends at its timeout, and closing the session still ends
 * the agent. Both once blocked for good in the pipe write (the prompt before its timer started,
 * close on the stream's lock). The stopped agent is killed at the end whatever happened.
 */
@Timeout(120)
class FrozenAgentTest {
    @TempDir
    Path tmp;
    Acpx acpx;
    Long agentPid;
    /** The agent as it was when seen: a kill through it cannot reach a later process given the same pid. */
    ProcessHandle agentSeen;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (agentSeen != null) {
            agentSeen.destroyForcibly();
        }
        assertEquals(List.of(), EmbeddedHost.descendantsLeft(acpx, Duration.ofSeconds(10)), "processes left behind");
    }

    @Test
    void aBigPromptToAStoppedAgentTimesOutAndCloseEndsIt() throws Exception {
        AcpxRuntime rt = EmbeddedHost.runtime(acpx).build();
        try {
            AgentRef agent = EmbeddedHost.mockAgent(rt, acpx);
            Session s = rt.open(SessionOptions.persistent(agent, acpx.cwd));
            s.prompt("echo warm", e -> { });
            agentPid = s.status().agentPid();
            assertNotNull(agentPid, "the agent runs");
            agentSeen = ProcessHandle.of(agentPid).orElseThrow();
            Signals.send(agentPid, "STOP");
            Signals.awaitState(agentPid, 'T', Duration.ofSeconds(10));

            String big = "echo " + "x".repeat(256 * 1024);
            CompletableFuture<Throwable> turn = CompletableFuture.supplyAsync(() -> {
                try {
                    s.prompt(big, e -> { }, Duration.ofSeconds(3));
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }, r -> Thread.ofPlatform().daemon().start(r));
            Throwable failure = turn.get(60, TimeUnit.SECONDS);
            assertNotNull(failure, "the prompt to a stopped agent did not succeed");
            AcpxException e = (AcpxException) failure;
            assertEquals(ErrorKind.TIMEOUT, e.kind(), e::getMessage);

            long pid = agentPid;
            CompletableFuture.runAsync(s::close, r -> Thread.ofPlatform().daemon().start(r)).get(60, TimeUnit.SECONDS);
            assertTrue(Signals.awaitGone(pid, Duration.ofSeconds(10)), "close ended the stopped agent");
        } finally {
            CompletableFuture.runAsync(rt::close, r -> Thread.ofPlatform().daemon().start(r)).get(60, TimeUnit.SECONDS);
        }
    }
}
