package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-user daemon ({@code ACPX_DAEMON=1}) through the real bin/acpx: callers racing to start it
 * start one, and its one JVM hosts all their sessions; SIGKILL of it mid-turn leaves nothing (agents,
 * slot) and the next prompt starts a new one that reconnects; a daemon of another build is retired;
 * it leaves once its sessions' TTL expired. Every test ends with no process of its HOME left.
 */
@Timeout(300)
class UserDaemonTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;
    Acpx acpx;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        acpx.env.put("ACPX_DAEMON", "1");
        acpx.env.put("ACPX_NO_TRAIN", "1");
        Files.createDirectories(acpx.cwd.resolve(".git"));
    }

    @AfterEach
    void nothingLeft() throws Exception {
        started.forEach(Process::destroyForcibly);
        acpx.env.remove("ACPX_TEST_BUILD_ID");
        List<String> left = Procs.awaitNone(acpx.marker, 20000);
        for (String p : left) {
            Signals.send(Long.parseLong(p.substring(0, p.indexOf(' '))), "KILL");
        }
        assertEquals(List.of(), left, "processes left behind");
    }

    private Acpx.Result a(String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("--agent", Acpx.mockAgent()));
        full.addAll(List.of(args));
        return acpx.run(null, LIMIT, full.toArray(String[]::new));
    }

    private Process start(String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("--agent", Acpx.mockAgent()));
        full.addAll(List.of(args));
        Process p = acpx.start(null, full.toArray(String[]::new));
        started.add(p);
        return p;
    }

    private Path daemonDir() {
        return acpx.home.resolve(".acpx/daemon");
    }

    /** The serving daemon's pid, from its identity file. */
    private long daemonPid() throws Exception {
        return Long.parseLong(Files.readString(daemonDir().resolve("daemon.pid")).trim().split(" ")[0]);
    }

    private String daemonLog() throws Exception {
        Path log = daemonDir().resolve("daemon.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Live processes of this test's HOME whose command line contains {@code part}. */
    private List<String> procs(String part) {
        return Procs.withMarker(acpx.marker).stream().filter(p -> p.contains(part)).toList();
    }

    /** The mock agents of this HOME (not the callers, whose command line names the agent too). */
    private List<String> agents() {
        return procs("agent.mjs").stream().filter(p -> !p.contains("java")).toList();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    @Test
    void eightCallersRacingStartOneDaemonThatHostsAllTheirSessions() throws Exception {
        List<String> names = List.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8");
        List<Process> creating = new ArrayList<>();
        for (String n : names) {
            creating.add(start("sessions", "new", "--name", n));
        }
        for (Process p : creating) {
            assertTrue(p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "sessions new ended");
            assertEquals(0, p.exitValue(), () -> readErr(p));
        }
        // The thin client forwards every command: the racing `sessions new` calls started the one daemon.
        assertEquals(1, count(daemonLog(), " ready for "), "one daemon for the racing callers:\n" + daemonLog());
        List<Process> prompts = new ArrayList<>();
        for (String n : names) {
            prompts.add(start("prompt", "-s", n, "echo hello " + n));
        }
        for (int i = 0; i < prompts.size(); i++) {
            Process p = prompts.get(i);
            assertTrue(p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "prompt " + names.get(i) + " ended");
            String out = acpx.read(p, "out");
            int index = i;
            assertEquals(0, p.exitValue(), () -> names.get(index) + ": " + out + readErr(p));
            assertTrue(out.contains("hello " + names.get(i)), out);
        }
        String log = daemonLog();
        assertEquals(1, count(log, " ready for "), "one daemon was started:\n" + log);
        assertEquals(0, count(log, "another acpx daemon serves"), "no second daemon was even spawned:\n" + log);
        assertEquals(8, count(log, " hosts session "), log);
        // Eight idle sessions: one JVM (the daemon) and eight agents, no owner JVM per session.
        List<String> jvms = procs("java");
        assertEquals(1, jvms.size(), "JVMs: " + jvms);
        assertTrue(jvms.get(0).contains("DaemonMain"), jvms.get(0));
        assertEquals(8, agents().size(), "agents: " + agents());
        System.out.println("[user-daemon] 8 idle sessions: daemon RSS " + rssKb(daemonPid()) + " kB");
        for (String n : names) {
            assertEquals(0, a("sessions", "close", n).code());
        }
    }

    @Test
    void sigkillOfTheDaemonMidTurnLeavesNothingAndTheNextPromptReconnects() throws Exception {
        // One slot for the whole home: the next prompt can only run if the killed daemon's slot was freed.
        Path home = Files.createDirectories(acpx.home.resolve(".acpx"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Files.writeString(home.resolve("config.json"), "{\"maxConcurrentSessions\": 1}");
        assertEquals(0, a("sessions", "new").code());
        Process p = start("prompt", "slow 60000");
        long end = System.nanoTime() + LIMIT.toNanos();
        while (acpx.read(p, "out").isEmpty() && p.isAlive() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertFalse(acpx.read(p, "out").isEmpty(), "the slow turn started: " + readErr(p));
        long daemon = daemonPid();
        List<String> agents = agents();
        assertEquals(1, agents.size(), agents::toString);
        Signals.send(daemon, "KILL");

        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the caller ended");
        assertEquals(1, p.exitValue(), () -> readErr(p));
        String said = acpx.read(p, "out") + readErr(p);
        assertTrue(said.contains("exited"), said);
        assertFalse(said.contains("\tat "), "no stack trace: " + said);
        List<String> left = Procs.awaitNone(acpx.marker, 20000);
        assertEquals(List.of(), left, "the daemon's agent and watchdog went with it");

        Acpx.Result r = a("prompt", "echo after the kill");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("after the kill"), r::toString);
        assertNotEquals(daemon, daemonPid(), "a new daemon serves");
        Acpx.Result status = a("status");
        assertTrue(status.out().contains("pid: " + daemonPid()), status::toString);
        assertEquals(0, a("sessions", "close").code());
    }

    @Test
    void aDaemonOfAnotherBuildIsRetiredNotReused() throws Exception {
        assertEquals(0, a("sessions", "new", "--name", "old").code());
        assertEquals(0, a("sessions", "new", "--name", "new").code());
        acpx.env.put("ACPX_TEST_BUILD_ID", "an-older-build");
        Acpx.Result r = a("prompt", "-s", "old", "echo from the old build");
        assertEquals(0, r.code(), r::toString);
        long old = daemonPid();
        List<String> oldAgents = agents();
        assertEquals(1, oldAgents.size(), oldAgents::toString);

        acpx.env.remove("ACPX_TEST_BUILD_ID");
        // A session the old daemon does not host: the daemon's own socket tells the build apart.
        r = a("prompt", "-s", "new", "echo from this build");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("from this build"), r::toString);
        assertNotEquals(old, daemonPid(), "a daemon of this build serves");
        assertTrue(Signals.awaitGone(old, Duration.ofSeconds(20)), "the old build's daemon is gone");
        long oldAgent = Long.parseLong(oldAgents.get(0).split(" ", 2)[0]);
        assertTrue(Signals.awaitGone(oldAgent, Duration.ofSeconds(20)), "its agent is gone");
        assertTrue(daemonLog().contains("another acpx build"), daemonLog());

        // The session the old daemon hosted reconnects in the new one; the new daemon is reused.
        long current = daemonPid();
        r = a("prompt", "-s", "old", "echo back again");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("back again"), r::toString);
        assertEquals(current, daemonPid());
        assertEquals(1, procs("java").size(), procs("java")::toString);
        assertEquals(0, a("sessions", "close", "old").code());
        assertEquals(0, a("sessions", "close", "new").code());
    }

    @Test
    void aStoppedDaemonIsReplacedByACallerWithANewSession() throws Exception {
        assertEquals(0, a("sessions", "new", "--name", "a").code());
        assertEquals(0, a("sessions", "new", "--name", "b").code());
        assertEquals(0, a("prompt", "-s", "a", "echo warm").code());
        long stopped = daemonPid();
        List<String> agentsOfA = agents();
        assertEquals(1, agentsOfA.size(), agentsOfA::toString);
        Signals.send(stopped, "STOP");
        try {
            Signals.awaitState(stopped, 'T', Duration.ofSeconds(10));
            // b is hosted nowhere yet: the caller asks the daemon's own socket, finds it stopped, replaces it.
            Acpx.Result r = a("prompt", "-s", "b", "echo past the stopped daemon");
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().contains("past the stopped daemon"), r::toString);
            assertTrue(Signals.awaitGone(stopped, Duration.ofSeconds(20)), "the stopped daemon was killed");
            long agentA = Long.parseLong(agentsOfA.get(0).split(" ", 2)[0]);
            assertTrue(Signals.awaitGone(agentA, Duration.ofSeconds(20)), "its agent went with it");
            assertNotEquals(stopped, daemonPid());
            assertTrue(daemonLog().contains("was replaced by a caller"), daemonLog());
        } finally {
            Signals.send(stopped, "CONT");
        }
        // a's record was left naming the killed daemon: the next prompt reconnects it in the new one.
        Acpx.Result r = a("prompt", "-s", "a", "echo a again");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("a again"), r::toString);
        assertEquals(0, a("sessions", "close", "a").code());
        assertEquals(0, a("sessions", "close", "b").code());
    }

    @Test
    void theDaemonLeavesWhenItsSessionsTtlExpired() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        Acpx.Result r = a("--ttl", "2", "prompt", "echo short lived");
        assertEquals(0, r.code(), r::toString);
        long daemon = daemonPid();
        assertTrue(Signals.awaitGone(daemon, Duration.ofSeconds(60)), "the daemon left after the TTL:\n" + daemonLog());
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 20000), "its agent went with the session");
        assertTrue(daemonLog().contains("exited: idle"), daemonLog());
        assertFalse(Files.exists(daemonDir().resolve("daemon.sock")), "the socket is removed");
        // The record tells the truth: no live owner.
        Acpx.Result status = a("status");
        assertFalse(status.out().contains("status: running"), status::toString);
    }

    @Test
    void promptQueueStatusCancelAndCloseGoThroughTheDaemon() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        Process slow = start("prompt", "slow 60000");
        long end = System.nanoTime() + LIMIT.toNanos();
        while (acpx.read(slow, "out").isEmpty() && slow.isAlive() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertFalse(acpx.read(slow, "out").isEmpty(), "the slow turn started: " + readErr(slow));
        // Queued behind the running turn, answered later.
        Acpx.Result queued = a("prompt", "--no-wait", "echo queued turn");
        assertEquals(0, queued.code(), queued::toString);
        Acpx.Result status = a("status");
        assertEquals(0, status.code(), status::toString);
        assertTrue(status.out().contains("pid: " + daemonPid()), status::toString);
        assertTrue(status.out().contains("status: running"), status::toString);
        Acpx.Result cancel = a("cancel");
        assertEquals(0, cancel.code(), cancel::toString);
        assertTrue(slow.waitFor(60, TimeUnit.SECONDS), "the cancelled turn ended");
        String slowOut = acpx.read(slow, "out");
        assertTrue(slowOut.contains("cancelled"), slowOut + readErr(slow));
        Acpx.Result next = a("prompt", "echo after cancel");
        assertEquals(0, next.code(), next::toString);
        assertTrue(next.out().contains("after cancel"), next::toString);
        Acpx.Result history = a("sessions", "history");
        assertTrue(history.out().contains("queued turn"), "the queued turn ran: " + history);

        long daemon = daemonPid();
        assertEquals(0, a("sessions", "close").code());
        // Closing the only session stops its owner in the daemon, not by signalling the daemon.
        assertTrue(daemonLog().contains("exited: owner_terminated"), daemonLog());
        assertTrue(Signals.awaitGone(daemon, Duration.ofSeconds(30)), "the daemon left with its last session");
    }

    private String readErr(Process p) {
        try {
            return "\n--- stderr\n" + acpx.read(p, "err");
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
