package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short form of the kill-matrix soak (issue 7): {@code bin/soak-sessions} for a few iterations,
 * taking the steps in turn (spawn, starting, midturn, after, idle, write) with the target (owner,
 * agent, caller) shifting each round. The long form is {@code bin/soak-sessions 1000}.
 */
class SoakSessionsTest {
    static final int ITERATIONS = Integer.getInteger("acpx.soakIterations", 8);

    @TempDir
    Path tmp;

    @Test
    void mixedKillsOfOwnerAgentAndCallerLeaveNoViolation() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Acpx.REPO.resolve("bin/soak-sessions").toString(),
                Integer.toString(ITERATIONS)));
        pb.environment().put("SOAK_ROTATE", "1");
        pb.environment().put("SOAK_CHECKER_CP", System.getProperty("java.class.path"));
        pb.environment().put("TMPDIR", tmp.toString());
        Path out = tmp.resolve("soak.out");
        Path err = tmp.resolve("soak.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(ITERATIONS * 30L, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String report = Files.readString(out, StandardCharsets.UTF_8) + "--- stderr\n"
                + Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), report);
        assertTrue(report.contains("soak-sessions: iterations=" + ITERATIONS + " "), report);
        assertTrue(report.contains("violations=0 in 0 iterations"), report);
    }
}
