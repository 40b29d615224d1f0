package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
 * The thin client (bin/acpx with the daemon on): a command forwarded to the daemon prints the same
 * bytes on stdout and stderr and exits with the same code as the same command run in a process of
 * its own; stdin is read only as far as the command reads it; signals and a killed client reach the
 * command (its turn is cancelled); with no daemon to be had the command still runs, in-process.
 */
@Timeout(300)
class ThinClientTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;
    Acpx acpx;
    Path agentLog;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        acpx.env.put("ACPX_DAEMON", "1");
        acpx.env.put("ACPX_NO_TRAIN", "1");
        agentLog = tmp.resolve("agent.log");
        acpx.env.put("MOCK_AGENT_LOG", agentLog.toString());
        Files.createDirectories(acpx.cwd.resolve(".git"));
    }

    @AfterEach
    void nothingLeft() throws Exception {
        started.forEach(Process::destroyForcibly);
        List<String> left = Procs.awaitNone(acpx.marker, 20000);
        for (String p : left) {
            Signals.send(Long.parseLong(p.substring(0, p.indexOf(' '))), "KILL");
        }
        assertEquals(List.of(), left, "processes left behind");
        List<String> violations = Invariants.violations(acpx.home, acpx.marker);
        assertTrue(violations.isEmpty(), "SPEC §9 invariants violated: " + violations);
    }

    private Acpx.Result a(String... args) throws Exception {
        return acpx.run(null, LIMIT, withAgent(args));
    }

    private String[] withAgent(String... args) {
        List<String> full = new ArrayList<>(List.of("--agent", Acpx.mockAgent()));
        full.addAll(List.of(args));
        return full.toArray(String[]::new);
    }

    private Acpx.Result inProcess(String stdin, String... args) throws Exception {
        acpx.env.put("ACPX_DAEMON", "0");
        try {
            return acpx.run(stdin, LIMIT, args);
        } finally {
            acpx.env.put("ACPX_DAEMON", "1");
        }
    }

    private boolean daemonRuns() {
        return Files.exists(acpx.home.resolve(".acpx/daemon/daemon.pid"));
    }

    @Test
    void forwardedCommandsPrintTheSameBytesAndExitCodesAsInProcess() throws Exception {
        assertEquals(0, a("sessions", "new", "--name", "one").code());
        assertTrue(daemonRuns(), "the first command started the daemon");
        List<String[]> commands = List.of(
                new String[] {"--help"},
                new String[] {"--bogus-flag"},
                new String[] {"--format", "json", "--agent", Acpx.mockAgent(), "sessions", "list", "--local"},
                new String[] {"--agent", Acpx.mockAgent(), "sessions", "list"},
                new String[] {"--agent", Acpx.mockAgent(), "sessions", "show", "one"},
                new String[] {"--agent", Acpx.mockAgent(), "status", "-s", "nope"},
                new String[] {"--agent", Acpx.mockAgent(), "prompt", "-s", "nope", "hi"},
                new String[] {"--format", "quiet", "--agent", Acpx.mockAgent(), "prompt", "-s", "one", "echo same"},
                new String[] {"--format", "json", "--json-strict", "--agent", Acpx.mockAgent(), "exec", "echo strict"},
                new String[] {"--timeout", "abc", "--agent", Acpx.mockAgent(), "exec", "hi"},
                new String[] {"config", "show"});
        for (String[] c : commands) {
            Acpx.Result thin = acpx.run(null, LIMIT, c);
            // The Java thin client too, where the native one is built (bin/acpx prefers that one).
            acpx.env.put("ACPX_THIN_NATIVE", "0");
            Acpx.Result javaThin = acpx.run(null, LIMIT, c);
            acpx.env.remove("ACPX_THIN_NATIVE");
            Acpx.Result local = inProcess(null, c);
            String what = String.join(" ", c);
            for (Acpx.Result forwarded : List.of(thin, javaThin)) {
                assertEquals(local.code(), forwarded.code(), () -> what + "\nthin: " + forwarded + "\nin-process: " + local);
                assertEquals(normalize(local.out()), normalize(forwarded.out()), what + ": stdout");
                assertEquals(normalize(local.err()), normalize(forwarded.err()), what + ": stderr");
            }
        }
        assertEquals(0, a("sessions", "close", "one").code());
    }

    @Test
    void theNativeClientIsBuiltWithACompilerAndSpeaksForThisBuild() throws Exception {
        boolean cc = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "cc")));
        org.junit.jupiter.api.Assumptions.assumeTrue(cc, "no C compiler on PATH: the Java thin client is used");
        Path aot = Acpx.REPO.resolve("acpx-cli/target/aot");
        assertTrue(Files.isExecutable(aot.resolve("acpx-thin-native")), "bin/acpx-train builds it when cc is installed");
        assertEquals(0, a("sessions", "list", "--local").code());
        String build = Files.readString(aot.resolve("build-id")).trim();
        String pidFile = Files.readString(acpx.home.resolve(".acpx/daemon/daemon.pid"));
        assertTrue(pidFile.contains(build), "the daemon runs the build the native client names: " + pidFile + " vs " + build);
    }

    @Test
    void theAgentASessionsListAskedIsEndedAfterTheAnswer() throws Exception {
        // The daemon answers before it ends the agent (README, Daemon): the agent must still go.
        for (int i = 0; i < 3; i++) {
            Acpx.Result r = a("sessions", "list");
            assertEquals(0, r.code(), r.toString());
            assertEquals("No sessions\n", r.out());
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> agents;
        do {
            agents = Procs.withMarker(acpx.marker).stream().filter(p -> p.contains("agent.mjs")).toList();
            if (agents.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        assertEquals(List.of(), agents, "agents the listings started");
        assertTrue(daemonRuns(), "the daemon answered them");
    }

    /** What differs between two runs whatever runs them: JSON-RPC session ids, times, pids, uptimes. */
    private static String normalize(String s) {
        return s.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<time>")
                .replaceAll("\"(sessionId|id)\":\"[^\"]*\"", "\"$1\":\"<id>\"")
                .replaceAll("(pid|uptime|lastPromptTime)([\":]+ ?)[^,\\n}]+", "$1$2<v>");
    }

    @Test
    void theAgentAndItsTerminalsGetTheCallersEnvironmentNotTheDaemons() throws Exception {
        // The first caller starts the daemon, which keeps that caller's environment as its own.
        acpx.env.put("ACPX_E2E_FIRST_CALLER", "1");
        Acpx.Result first = a("--approve-all", "--format", "quiet", "exec", "terminal env");
        assertEquals(0, first.code(), first.toString());
        assertTrue(first.out().contains("ACPX_E2E_FIRST_CALLER=1"), first.toString());
        assertTrue(daemonRuns());
        acpx.env.remove("ACPX_E2E_FIRST_CALLER");
        acpx.env.put("ACPX_E2E_SECOND_CALLER", "2");
        Path secondLog = tmp.resolve("second-agent.log");
        acpx.env.put("MOCK_AGENT_LOG", secondLog.toString());
        Acpx.Result second = a("--approve-all", "--format", "quiet", "exec", "terminal env");
        assertEquals(0, second.code(), second.toString());
        // the terminal the agent started saw this caller's variables, and none of the first caller's
        assertTrue(second.out().contains("ACPX_E2E_SECOND_CALLER=2"), second.toString());
        assertFalse(second.out().contains("ACPX_E2E_FIRST_CALLER"), second.toString());
        // the agent itself got this caller's MOCK_AGENT_LOG (its credentials would travel the same way)
        assertTrue(Files.exists(secondLog) && Files.readString(secondLog).contains("initialize"),
                "the agent of the second command logged where that caller said");
    }

    @Test
    void stdinIsReadOnlyAsFarAsTheCommandReadsIt() throws Exception {
        // A command that reads no stdin leaves it to the next program, as a process of its own does.
        String script = "printf 'first\\nsecond\\n' | { " + Acpx.REPO.resolve("bin/acpx")
                + " --agent 'node " + Acpx.MOCK_AGENT + "' sessions list --local >/dev/null; cat; }";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(acpx.cwd.toFile());
        pb.environment().putAll(acpx.env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        started.add(p);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("first\nsecond\n", out);
        assertTrue(daemonRuns(), "the command ran through the daemon");

        // A prompt piped on stdin reaches the agent through the daemon.
        Acpx.Result r = acpx.run("echo piped through the thin client\n", LIMIT,
                withAgent("--format", "quiet", "exec"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("piped through the thin client"), r::toString);
    }

    @Test
    void aClientKilledMidTurnCancelsItsTurn() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        assertEquals(0, a("prompt", "echo warm").code());
        Process p = acpx.start(null, withAgent("prompt", "slow 60000"));
        started.add(p);
        awaitFirstOutput(p);
        assertTrue(ProcessHandle.of(p.pid()).orElseThrow().info().commandLine().orElse("").contains("ThinClient"),
                "the caller is the thin client");
        p.destroyForcibly();
        // Cancelled, not left to run its 60 s: the next prompt is served at once, and the agent saw the cancel.
        long started = System.nanoTime();
        Acpx.Result r = acpx.run(null, Duration.ofSeconds(40), withAgent("prompt", "echo after the kill"));
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("after the kill"), r::toString);
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 40);
        assertTrue(Files.readString(agentLog).contains("slow-cancelled"), "the agent saw session/cancel");
        assertEquals(0, a("sessions", "close").code());
    }

    @Test
    void ctrlCReachesTheCommandInTheDaemon() throws Exception {
        Process p = acpx.start(null, withAgent("exec", "slow 60000"));
        started.add(p);
        awaitFirstOutput(p);
        Signals.send(p.pid(), "INT");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "acpx exited after SIGINT");
        assertEquals(130, p.exitValue(), () -> "stderr: " + read(p));
        assertTrue(read(p).contains("interrupted (SIGINT)"), () -> "stderr: " + read(p));
        // exec's agent ran under the daemon: the interrupt ended it (the record is closed).
        Acpx.Result list = a("--format", "json", "sessions", "list", "--local");
        assertFalse(list.out().contains("\"closed\":false"), list::toString);
    }

    @Test
    void withNoDaemonToBeHadTheCommandRunsInProcess() throws Exception {
        // The daemon's directory cannot be made: a file stands where it would go.
        Path acpxHome = Files.createDirectory(acpx.home.resolve(".acpx"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Files.writeString(Files.createFile(acpxHome.resolve("daemon"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))), "not a directory\n");
        Acpx.Result r = a("--format", "quiet", "exec", "echo still runs");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("still runs"), r::toString);
        assertEquals("", r.err(), "the fallback is silent");
        Acpx.Result thin = a("sessions", "list", "--local");
        Acpx.Result local = inProcess(null, withAgent("sessions", "list", "--local"));
        assertEquals(local.code(), thin.code());
        assertEquals(normalize(local.out()), normalize(thin.out()));
    }

    /** Returns once the slow turn printed its first chunk. */
    private void awaitFirstOutput(Process p) throws Exception {
        long end = System.nanoTime() + LIMIT.toNanos();
        while (acpx.read(p, "out").isEmpty() && p.isAlive() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertFalse(acpx.read(p, "out").isEmpty(), "the slow turn started");
    }

    private String read(Process p) {
        try {
            return acpx.read(p, "err");
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
