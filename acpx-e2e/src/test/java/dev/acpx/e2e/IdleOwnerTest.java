package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm session must still answer after a long idle pause on a small machine. Every JVM (the
 * CLI, the queue owner) sees 1 or 2 processors through {@code JAVA_TOOL_OPTIONS}: with 2, the
 * virtual-thread scheduler has two carriers, and blocking pipe reads pinned on them once left the
 * owner's accept loop unscheduled after the pool's spare carrier retired (30 s keep-alive).
 * Both cases spend their time idle, so they idle side by side (each has its own HOME and marker).
 */
@Timeout(180)
@Execution(ExecutionMode.CONCURRENT)
class IdleOwnerTest {
    /** Longer than the ForkJoinPool keep-alive of 30 s. */
    private static final Duration IDLE = Duration.ofSeconds(45);

    @TempDir
    Path tmp;
    Acpx acpx;

    @AfterEach
    void tearDown() throws Exception {
        if (acpx == null) {
            return;
        }
        acpx.run("--agent", Acpx.mockAgent(), "sessions", "close");
        List<String> left = Procs.awaitNone(acpx.marker, 15000);
        assertEquals(List.of(), left, "processes left behind");
    }

    @Test
    void answersAfterIdleWithOneProcessor() throws Exception {
        idleThenPrompt(1);
    }

    @Test
    void answersAfterIdleWithTwoProcessors() throws Exception {
        idleThenPrompt(2);
    }

    private void idleThenPrompt(int processors) throws Exception {
        acpx = new Acpx(tmp);
        Files.createDirectories(acpx.cwd.resolve(".git"));
        acpx.env.put("JAVA_TOOL_OPTIONS", "-XX:ActiveProcessorCount=" + processors);
        acpx.env.put("ACPX_NO_TRAIN", "1"); // start-up is not measured here; no cache training in the way
        Acpx.Result r = acpx.run("--agent", Acpx.mockAgent(), "sessions", "new");
        assertEquals(0, r.code(), r::toString);
        r = acpx.run("--agent", Acpx.mockAgent(), "prompt", "echo first turn");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("first turn"), r::toString);

        Thread.sleep(IDLE.toMillis());

        // Generous: a healthy owner answers in well under a second; the broken one never did.
        r = acpx.run(null, Duration.ofSeconds(60), "--agent", Acpx.mockAgent(), "--timeout", "40", "prompt",
                "echo after idle");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("after idle"), r::toString);
    }
}
