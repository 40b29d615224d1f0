package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Persistent sessions and the queue owner, end to end against the mock agent, with kills. */
class SessionsE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Acpx acpx;
    Path sub;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        Files.createDirectories(acpx.cwd.resolve(".git"));
        sub = Files.createDirectories(acpx.cwd.resolve("deep/er"));
    }

    @AfterEach
    void tearDown() throws Exception {
        // Close whatever is open so owners and agents end, then prove nothing is left.
        Acpx.Result list = a("--format", "json", "sessions", "list", "--local");
        for (JsonNode r : JSON.readTree(list.out())) {
            if (!r.path("closed").asBoolean()) {
                a("sessions", "close", r.path("acpxRecordId").asText());
            }
        }
        List<String> left = Procs.awaitNone(acpx.marker, 10000);
        assertTrue(left.isEmpty(), "processes left behind: " + left);
        assertTrue(recordsClaimingDeadProcesses().isEmpty(), "records claim dead processes: "
                + recordsClaimingDeadProcesses());
        List<String> violations = Invariants.violations(acpx.home, acpx.marker).stream()
                .filter(v -> !v.contains("broken.json") && !v.contains(".tmp")).toList();
        assertTrue(violations.isEmpty(), "SPEC §9 invariants violated: " + violations);
    }

    private Acpx.Result a(String... args) throws Exception {
        String[] full = new String[args.length + 2];
        full[0] = "--agent";
        full[1] = Acpx.mockAgent();
        System.arraycopy(args, 0, full, 2, args.length);
        return acpx.run(full);
    }

    private JsonNode records() throws Exception {
        return JSON.readTree(a("--format", "json", "sessions", "list", "--local").out());
    }

    private List<String> recordsClaimingDeadProcesses() throws Exception {
        List<String> bad = new ArrayList<>();
        Path dir = acpx.home.resolve(".acpx/sessions");
        if (!Files.isDirectory(dir)) {
            return bad;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode r;
                try {
                    r = JSON.readTree(f.toFile());
                } catch (java.io.IOException corrupt) {
                    continue;
                }
                for (String key : new String[] {"pid", "owner_pid"}) {
                    if (r.hasNonNull(key) && !Procs.alive(r.get(key).asLong())) {
                        bad.add(f.getFileName() + " " + key + "=" + r.get(key));
                    }
                }
            }
        }
        return bad;
    }

    @Test
    void fullCommandWalk() throws Exception {
        Acpx.Result r = a("prompt", "echo nothing yet");
        assertEquals(4, r.code(), r::toString);
        assertTrue(r.err().contains("sessions new"), r::toString);

        r = a("sessions", "new");
        assertEquals(0, r.code(), r::toString);
        r = a("--cwd", sub.toString(), "prompt", "echo hello from below");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("hello from below"), r::toString);
        r = a("echo implicit prompt");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("implicit prompt"), r::toString);

        r = a("--format", "quiet", "prompt", "echo quietly");
        assertEquals("quietly\n", r.out(), r::toString);
        r = a("--format", "json", "prompt", "echo as json");
        assertEquals(0, r.code(), r::toString);
        for (String line : r.out().strip().split("\n")) {
            assertEquals("2.0", JSON.readTree(line).path("jsonrpc").asText(), line);
        }

        JsonNode list = records();
        assertEquals(1, list.size(), list::toPrettyString);
        assertEquals("running", list.get(0).path("state").asText());
        r = a("--format", "json", "status");
        assertEquals("running", JSON.readTree(r.out()).path("state").asText(), r::toString);
        r = a("sessions", "show");
        assertEquals(0, r.code(), r::toString);
        r = a("--format", "json", "sessions", "history", "--limit", "2");
        JsonNode history = JSON.readTree(r.out()).path("entries");
        assertEquals(2, history.size(), r::toString);
        assertTrue(history.get(1).path("textPreview").asText().contains("as json"), r::toString);

        assertEquals(0, a("set-mode", "plan").code());
        r = a("set", "model", "mock-large");
        assertEquals(0, r.code(), r::toString);
        r = a("set", "model", "no-such-model");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("mock-large"), r::toString);

        Files.writeString(acpx.cwd.resolve("f.txt"), "file line one\n");
        r = a("prompt", "read f.txt");
        assertTrue(r.out().contains("file line one"), r::toString);
        r = a("--approve-all", "prompt", "terminal echo from-terminal");
        assertTrue(r.out().contains("from-terminal"), r::toString);
        r = a("prompt", "plan");
        assertTrue(r.out().contains("[plan]"), r::toString);
        r = a("prompt", "stream 200");
        assertEquals(200, r.out().lines().filter(l -> l.startsWith("chunk ")).count(), r::toString);

        r = a("--approve-all", "prompt", "write w.txt approved");
        assertEquals(0, r.code(), r::toString);
        assertEquals("approved", Files.readString(acpx.cwd.resolve("w.txt")));
        r = a("--deny-all", "prompt", "write d.txt denied");
        assertEquals(5, r.code(), r::toString);
        assertFalse(Files.exists(acpx.cwd.resolve("d.txt")));

        // A slow turn, a queued --no-wait turn behind it, then cancel of the running one.
        Process slow = acpx.start(null, "--agent", Acpx.mockAgent(), "prompt", "slow 30000");
        waitFor(() -> acpx.read(slow, "out").contains("working for"), 20000);
        r = a("--no-wait", "prompt", "echo queued behind");
        assertEquals(0, r.code(), r::toString);
        r = a("cancel");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("cancel requested"), r::toString);
        assertTrue(slow.waitFor(20, TimeUnit.SECONDS));
        assertTrue(acpx.read(slow, "out").contains("[done] cancelled"), acpx.read(slow, "out"));
        waitFor(() -> a("--format", "json", "sessions", "history", "--limit", "1").out().contains("queued behind"),
                20000);
        assertTrue(a("cancel").out().contains("nothing to cancel"));

        r = a("--timeout", "1", "prompt", "hang");
        assertEquals(3, r.code(), r::toString);
        r = a("prompt", "echo recovered after hang");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("recovered after hang"), r::toString);

        r = a("prompt", "crash");
        assertEquals(1, r.code(), r::toString);
        // As the Node acpx: a failed turn's error is an [error] section of the turn's output.
        assertTrue(r.out().contains("[error] RUNTIME: the agent exited (exit code 3)"), r::toString);
        r = a("--format", "json", "status");
        JsonNode st = JSON.readTree(r.out());
        assertEquals(3, st.path("lastAgentExitCode").asInt(), r::toString);
        r = a("prompt", "echo reconnected");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("reconnected"), r::toString);

        r = a("sessions", "close");
        assertEquals(0, r.code(), r::toString);
        JsonNode closed = records().get(0);
        assertTrue(closed.path("closed").asBoolean());
        assertEquals("closed", closed.path("state").asText());
        assertNotNull(closed.get("closedAt"));
        assertEquals(4, a("prompt", "echo after close").code());
    }

    @Test
    void killOwnerMidTurnThenAgentMidTurnThenCallerMidWait() throws Exception {
        Acpx.assumeOwnProcesses("SIGKILL of the session's own queue owner process (UserDaemonTest kills the daemon mid-turn)");
        assertEquals(0, a("sessions", "new").code());
        assertEquals(0, a("prompt", "echo warm").code());
        long ownerPid = records().get(0).path("ownerPid").asLong();
        Process caller = acpx.start(null, "--agent", Acpx.mockAgent(), "prompt", "slow 20000");
        waitFor(() -> acpx.read(caller, "out").contains("working for"), 20000);
        ProcessHandle.of(ownerPid).orElseThrow().destroyForcibly();
        assertTrue(caller.waitFor(20, TimeUnit.SECONDS));
        assertEquals(1, caller.exitValue(), acpx.read(caller, "err"));
        // the owner's agent tree went with it, and the next prompt starts a new owner
        waitFor(() -> Procs.withMarker(acpx.marker).stream().noneMatch(p -> p.contains("agent.mjs")), 10000);
        Acpx.Result r = a("prompt", "echo after owner kill");
        assertEquals(0, r.code(), r::toString);

        long agentPid = JSON.readTree(a("--format", "json", "status").out()).path("agentPid").asLong();
        Process caller2 = acpx.start(null, "--agent", Acpx.mockAgent(), "prompt", "slow 20000");
        waitFor(() -> acpx.read(caller2, "out").contains("working for"), 20000);
        ProcessHandle.of(agentPid).orElseThrow().destroyForcibly();
        assertTrue(caller2.waitFor(20, TimeUnit.SECONDS));
        assertEquals(1, caller2.exitValue(), acpx.read(caller2, "err"));
        // The turn's failure is part of its output ([error] on stdout), as in the Node acpx.
        assertTrue(acpx.read(caller2, "out").contains("[error] RUNTIME: the agent exited") && acpx.read(caller2, "out")
                .contains("SIGKILL"), acpx.read(caller2, "out"));
        JsonNode st = JSON.readTree(a("--format", "json", "status").out());
        assertEquals("SIGKILL", st.path("lastAgentExitSignal").asText(), st::toPrettyString);

        Process caller3 = acpx.start(null, "--agent", Acpx.mockAgent(), "prompt", "slow 1500");
        waitFor(() -> acpx.read(caller3, "out").contains("working for"), 20000);
        caller3.destroyForcibly();
        caller3.waitFor(5, TimeUnit.SECONDS);
        waitFor(() -> a("--format", "json", "sessions", "history", "--limit", "1").out().contains("done after"), 20000);
        r = a("prompt", "echo owner survived the caller");
        assertEquals(0, r.code(), r::toString);
    }

    @Test
    void ttlExpiryRecordsTheTruthAndTheNextPromptReconnects() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        assertEquals(0, a("--ttl", "1", "prompt", "echo short lived").code());
        waitFor(() -> Procs.withMarker(acpx.marker).isEmpty(), 15000);
        JsonNode st = JSON.readTree(a("--format", "json", "status").out());
        assertEquals("idle", st.path("state").asText(), st::toPrettyString);
        assertEquals("ttl_expired", st.path("lastAgentDisconnectReason").asText(), st::toPrettyString);
        assertTrue(st.path("pid").isMissingNode() && st.path("agentPid").isMissingNode(), st::toPrettyString);
        assertTrue(st.path("lastAgentExitCode").isNumber() || st.path("lastAgentExitSignal").isTextual(),
                st::toPrettyString);
        JsonNode record = records().get(0);
        assertFalse(record.path("closed").asBoolean(), "a persistent session stays open after its TTL");
        Acpx.Result r = a("prompt", "echo back again");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("back again"), r::toString);
    }

    @Test
    void pruneDeletesOnlyClosedRecords() throws Exception {
        assertEquals(0, a("sessions", "new", "--name", "keep").code());
        assertEquals(0, a("sessions", "new", "--name", "drop").code());
        assertEquals(0, a("sessions", "close", "drop").code());
        Acpx.Result dry = a("--format", "json", "sessions", "prune", "--dry-run");
        assertEquals(1, JSON.readTree(dry.out()).path("count").asInt(), dry::toString);
        assertEquals(2, records().size());
        Acpx.Result none = a("--format", "json", "sessions", "prune", "--older-than", "3");
        assertEquals(0, JSON.readTree(none.out()).path("count").asInt(), none::toString);
        Path sessions = acpx.home.resolve(".acpx/sessions");
        Path stranded = sessions.resolve("x.json.1234.tmp");
        Path fresh = sessions.resolve("y.json.5678.tmp");
        writePrivate(stranded, "{\"half\":");
        writePrivate(fresh, "{\"half\":");
        Files.setLastModifiedTime(stranded, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(Duration.ofHours(2))));
        Acpx.Result r = a("sessions", "prune");
        assertEquals(0, r.code(), r::toString);
        assertFalse(Files.exists(stranded), "a temp file stranded by a killed write survived prune");
        assertTrue(Files.exists(fresh), "prune deleted a temp file that may be a write in flight");
        Files.delete(fresh);
        JsonNode left = records();
        assertEquals(1, left.size(), left::toPrettyString);
        assertEquals("keep", left.get(0).path("name").asText());
        assertEquals(2, a("sessions", "prune", "--older-than", "x").code());
    }

    @Test
    void approveReadsAsksOnATerminal() throws Exception {
        // `script` gives acpx a real pseudo-terminal; the answer "y" arrives on it.
        String command = Acpx.REPO.resolve("bin/acpx") + " --agent '" + Acpx.mockAgent() + "' exec 'write tty.txt from tty'";
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", command, "/dev/null").directory(acpx.cwd.toFile());
        pb.environment().putAll(acpx.env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        StringBuilder seen = new StringBuilder();
        var in = p.getInputStream();
        long deadline = System.currentTimeMillis() + 30000;
        while (!seen.toString().contains("(y/N)") && System.currentTimeMillis() < deadline) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            seen.append((char) c);
        }
        assertTrue(seen.toString().contains("Allow Write"), seen::toString);
        p.getOutputStream().write("y\n".getBytes());
        p.getOutputStream().flush();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        seen.append(new String(in.readAllBytes()));
        assertEquals(0, p.exitValue(), seen::toString);
        assertEquals("from tty", Files.readString(acpx.cwd.resolve("tty.txt")));
    }

    @Test
    void ctrlCInAWaitingPromptCancelsItsTurn() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        Process caller = acpx.start(null, "--agent", Acpx.mockAgent(), "prompt", "slow 30000");
        waitFor(() -> acpx.read(caller, "out").contains("working for"), 20000);
        ProcessHandle.of(caller.pid()).orElseThrow();
        new ProcessBuilder("kill", "-INT", Long.toString(caller.pid())).start().waitFor();
        assertTrue(caller.waitFor(10, TimeUnit.SECONDS), "caller did not stop on SIGINT");
        assertEquals(130, caller.exitValue(), acpx.read(caller, "err"));
        // The owner ran the cancel: the session is free at once, not after 30 s.
        long t0 = System.nanoTime();
        Acpx.Result r = a("prompt", "echo free again");
        assertEquals(0, r.code(), r::toString);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), "the slow turn was not cancelled");
    }

    @Test
    void twentyRacingFirstPromptsShareOneOwner() throws Exception {
        Acpx.assumeOwnProcesses("that exactly one owner process runs (the daemon hosts it)");
        // 20 at once is 1 running + 19 waiting: above the default queueMaxDepth of 16 (as in the Node acpx).
        writePrivate(acpx.home.resolve(".acpx/config.json"), "{\"queueMaxDepth\": 32}");
        assertEquals(0, a("sessions", "new").code());
        List<Process> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            callers.add(acpx.start(null, "--agent", Acpx.mockAgent(), "prompt", "echo racer " + i));
        }
        for (int i = 0; i < 20; i++) {
            Process p = callers.get(i);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), acpx.read(p, "err"));
            assertTrue(acpx.read(p, "out").contains("racer " + i), acpx.read(p, "out"));
        }
        long owners = Procs.withMarker(acpx.marker).stream().filter(p -> p.contains("OwnerMain")).count();
        assertEquals(1, owners, Procs.withMarker(acpx.marker)::toString);
        JsonNode history = JSON.readTree(a("--format", "json", "sessions", "history", "--limit", "40").out())
                .path("entries");
        assertEquals(40, history.size());
        for (int i = 0; i < 40; i += 2) {
            String asked = history.get(i).path("textPreview").asText();
            String answered = history.get(i + 1).path("textPreview").asText();
            assertEquals(asked.replace("echo ", ""), answered, "turns interleaved: " + history.toPrettyString());
        }
    }

    @Test
    void concurrencyLimitAcrossProcessesAndSigkillFreesTheSlot() throws Exception {
        writePrivate(acpx.home.resolve(".acpx/config.json"), "{\"maxConcurrentSessions\": 1}");
        assertEquals(0, a("sessions", "new").code());
        assertEquals(0, a("sessions", "new", "--name", "second").code());
        assertEquals(0, a("prompt", "echo first holds the slot").code());
        Acpx.Result r = a("prompt", "-s", "second", "echo should not start");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("maxConcurrentSessions (1) reached"), r::toString);
        r = a("exec", "echo exec too");
        assertEquals(1, r.code(), r::toString);
        long ownerPid = records().findValues("ownerPid").stream().filter(JsonNode::isNumber).findFirst()
                .orElseThrow().asLong();
        ProcessHandle.of(ownerPid).orElseThrow().destroyForcibly();
        waitFor(() -> !Procs.alive(ownerPid), 5000);
        r = a("prompt", "-s", "second", "echo now it starts");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("now it starts"), r::toString);
    }

    @Test
    void corruptRecordAmongAThousandAndCrashLeftoversAreSkipped() throws Exception {
        Path dir = acpx.home.resolve(".acpx/sessions");
        JsonNode fixture = JSON.readTree(Acpx.TEST_ENV.resolve(
                "fixtures/node-acpx-0.19.1/68daab5d-1086-41e7-8087-ce742fec559d.json").toFile());
        for (int i = 0; i < 1000; i++) {
            String id = String.format("00000000-0000-0000-0000-%012d", i);
            var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) fixture.deepCopy())
                    .put("acpx_record_id", id).put("acp_session_id", id).put("closed", true);
            writePrivate(dir.resolve(id + ".json"), copy.toPrettyString());
        }
        writePrivate(dir.resolve("broken.json"), "{\"schema\": \"acpx.session.v1\", \"acpx_rec");
        writePrivate(dir.resolve("00000000-0000-0000-0000-000000000001.json.123.tmp"), "{\"half\":");
        Acpx.Result r = acpx.run("--format", "json", "--agent", "node /opt/mock-agent/agent.mjs", "sessions", "list", "--local");
        assertEquals(0, r.code(), r::toString);
        assertEquals(1000, JSON.readTree(r.out()).size());
        assertTrue(r.err().contains("broken.json"), r::toString);
    }

    /** Test-written files under ~/.acpx get the modes the product uses, so the checker judges only ours. */
    static void writePrivate(Path file, String text) throws java.io.IOException {
        var dirMode = java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
        for (Path d = file.getParent(); d != null && d.getFileName().toString().startsWith(".acpx")
                || d != null && d.getParent() != null && d.getParent().getFileName().toString().equals(".acpx"); d = d.getParent()) {
            Files.createDirectories(d);
            Files.setPosixFilePermissions(d, dirMode);
        }
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check check, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!check.ok()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached within " + Duration.ofMillis(millis));
            }
            Thread.sleep(50);
        }
    }
}
