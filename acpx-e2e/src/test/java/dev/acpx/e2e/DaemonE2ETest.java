package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing an agent starts outlives its session, including daemons that leave its process group and
 * its parent ({@code setsid}, double fork): after exec, after {@code sessions close}, after TTL expiry
 * and after the owner is SIGKILLed. Each test first proves the daemons run while the session does, so
 * that "gone" afterwards means acpx ended them.
 */
@Timeout(180)
class DaemonE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DAEMONS = Pattern.compile("daemonized: (\\d+) (\\d+)");

    @TempDir
    Path root;
    Acpx acpx;
    String agent;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(root);
        acpx.env.put("HOSTILE_AGENT_LIFETIME_SECONDS", "150");
        Files.createDirectories(acpx.cwd.resolve(".git"));
        agent = HostileAgentCliTest.agent("daemonize");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        List<String> left = Procs.awaitNone(acpx.marker, 5000);
        // Leave the machine clean even when the assertion below fails.
        for (String p : left) {
            ProcessHandle.of(Long.parseLong(p.split(" ", 2)[0])).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertEquals(List.of(), left, "processes left behind");
    }

    private Acpx.Result a(String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("--agent", agent));
        full.addAll(List.of(args));
        return acpx.run(full.toArray(String[]::new));
    }

    private static List<Long> daemons(Acpx.Result r) {
        Matcher m = DAEMONS.matcher(r.out());
        assertTrue(m.find(), "the agent reported no daemons: " + r);
        return List.of(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    private static void awaitGone(List<Long> pids, String after) throws Exception {
        SessionsE2ETest.waitFor(() -> pids.stream().noneMatch(Procs::alive), 20000);
        // waitFor throws on timeout; reaching here means both are gone.
        assertTrue(pids.stream().noneMatch(Procs::alive), "daemons outlived " + after);
    }

    private static void assertRunning(List<Long> pids) {
        for (long pid : pids) {
            assertTrue(Procs.alive(pid), "daemon " + pid + " should run while its session is open");
        }
    }

    @Test
    void execEndsTheAgentsDaemons() throws Exception {
        Acpx.Result r = a("exec", "x");
        assertEquals(0, r.code(), r::toString);
        List<Long> pids = daemons(r);
        awaitGone(pids, "exec");
    }

    @Test
    void execEndsADaemonStartedThroughATerminal() throws Exception {
        Acpx.Result r = acpx.run("--approve-all", "--agent", Acpx.mockAgent(), "exec",
                "terminal setsid sleep 602 </dev/null >/dev/null 2>&1 & echo started");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("started"), r::toString);
        // The after-each check finds any process carrying the test's marker, the daemon included.
    }

    @Test
    void sessionsCloseEndsTheDaemons() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        Acpx.Result r = a("prompt", "x");
        assertEquals(0, r.code(), r::toString);
        List<Long> pids = daemons(r);
        assertRunning(pids);
        r = a("sessions", "close");
        assertEquals(0, r.code(), r::toString);
        awaitGone(pids, "sessions close");
    }

    @Test
    void ttlExpiryEndsTheDaemons() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        Acpx.Result r = a("--ttl", "3", "prompt", "x");
        assertEquals(0, r.code(), r::toString);
        List<Long> pids = daemons(r);
        assertRunning(pids);
        awaitGone(pids, "the owner's TTL");
    }

    @Test
    void aSigkilledOwnersDaemonsAreEndedByTheWatchdog() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        Acpx.Result r = a("prompt", "x");
        assertEquals(0, r.code(), r::toString);
        List<Long> pids = daemons(r);
        assertRunning(pids);
        JsonNode records = JSON.readTree(a("--format", "json", "sessions", "list").out());
        long owner = records.get(0).path("ownerPid").asLong();
        assertTrue(Procs.alive(owner), "no live owner in " + records.toPrettyString());
        ProcessHandle.of(owner).orElseThrow().destroyForcibly();
        awaitGone(pids, "the owner's SIGKILL");
        assertEquals(0, a("sessions", "close").code());
    }
}
