package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acpx flow} through the real {@code bin/acpx} (SPEC-P2 §5): every example under
 * {@code examples/flows} on the demo agent (and the data flows on the mock agent through
 * {@code --default-agent}), checkpoint then resume, the exit codes of a failing action, a timeout and
 * bad input, and the guarantee the Node acpx lacks: no session a run opened is left open, even after a
 * {@code kill -9} of the run's process.
 */
@Timeout(600)
class FlowE2ETest {
    static final Duration LIMIT = Duration.ofSeconds(180);
    static final Path EXAMPLES = Acpx.REPO.resolve("examples/flows");

    @TempDir
    Path root;
    Acpx acpx;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void home() throws Exception {
        acpx = new Acpx(root);
        Files.writeString(acpx.cwd.resolve("README.md"), "# flow test\n");
        Files.createDirectories(acpx.home.resolve(".acpx"));
        Files.writeString(acpx.home.resolve(".acpx/config.json"), "{\"agents\":{\"mock\":{\"command\":"
                + mapper.writeValueAsString(Acpx.mockAgent()) + "}}}");
    }

    @AfterEach
    void nothingLeftOpen() throws Exception {
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 15000), "processes left behind");
        Path sessions = acpx.home.resolve(".acpx/sessions");
        if (Files.isDirectory(sessions)) {
            try (Stream<Path> files = Files.list(sessions)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    JsonNode record = mapper.readTree(f.toFile());
                    assertTrue(record.get("closed").asBoolean(), "a flow left a session open: " + record);
                }
            }
        }
    }

    Acpx.Result run(String... args) throws Exception {
        return acpx.run(null, LIMIT, args);
    }

    Path flowFile(String name, String json) throws Exception {
        Path f = acpx.cwd.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    /** A new example must get its run here: CI runs every one of them. */
    @Test
    void everyExampleHasARunInThisClass() throws Exception {
        List<String> found;
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            found = files.filter(Files::isRegularFile).map(f -> EXAMPLES.relativize(f).toString())
                    .filter(f -> f.endsWith(".json") || f.endsWith(".java")).sorted().toList();
        }
        assertEquals(List.of("build-check.json", "java/ReleaseNotesFlow.java", "retry-until-ok.json", "review-loop.json"), found);
    }

    @Test
    void theDecisionLoopExampleRunsOnTheDemoAndTheMockAgent() throws Exception {
        for (String agent : List.of("demo", "mock")) {
            Acpx.Result r = run("--format", "json", "flow", "run", EXAMPLES.resolve("review-loop.json").toString(),
                    "--input-json", "{\"topic\":\"the parser\"}", "--default-agent", agent);
            assertEquals(0, r.code(), r::toString);
            JsonNode result = mapper.readTree(r.out().strip());
            assertEquals("flow_run_result", result.get("action").asText());
            assertEquals("completed", result.get("status").asText(), r::toString);
            assertEquals("Review of the parser", result.get("runTitle").asText());
            assertEquals(2, result.get("outputs").get("done").get("approvedAfter").asInt(), r::toString);
            JsonNode steps = mapper.readTree(Path.of(result.get("runDir").asText()).resolve("projections/steps.json").toFile());
            List<String> attempts = new ArrayList<>();
            steps.forEach(s -> attempts.add(s.get("attemptId").asText()));
            assertEquals(List.of("start#1", "count#1", "review#1", "count#2", "review#2", "done#1"), attempts);
        }
    }

    @Test
    void theRetryExampleLoopsOnAFailingActionUntilItPasses() throws Exception {
        Acpx.Result r = run("--format", "json", "flow", "run", EXAMPLES.resolve("retry-until-ok.json").toString(),
                "--input-json", "{\"needed\":3}", "--default-agent", "demo");
        assertEquals(0, r.code(), r::toString);
        JsonNode result = mapper.readTree(r.out().strip());
        assertEquals("completed", result.get("status").asText(), r::toString);
        assertEquals("try 3 of 3", result.get("outputs").get("check").asText(), r::toString);
        assertTrue(result.get("outputs").get("report").asText().contains("after 3 tries"), r::toString);
        JsonNode steps = mapper.readTree(Path.of(result.get("runDir").asText()).resolve("projections/steps.json").toFile());
        List<String> outcomes = new ArrayList<>();
        steps.forEach(s -> outcomes.add(s.get("attemptId").asText() + "=" + s.get("outcome").asText()));
        assertEquals(List.of("bump#1=ok", "check#1=failed", "bump#2=ok", "check#2=failed", "bump#3=ok", "check#3=ok",
                "report#1=ok"), outcomes);
        assertTrue(steps.get(1).get("error").asText().endsWith("exit 1\nnot yet"), steps.get(1)::toString);
    }

    @Test
    void theShellExampleStopsAtItsCheckpointAndResumes() throws Exception {
        Acpx.Result r = run("flow", "run", EXAMPLES.resolve("build-check.json").toString(), "--input-json",
                "{\"dir\":\".\"}", "--default-agent", "demo");
        assertEquals(0, r.code(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("runId: "), r::toString);
        String runId = lines.get(0).substring("runId: ".length());
        assertEquals("flow: build-check", lines.get(1));
        assertEquals("title: Build check in .", lines.get(2));
        assertEquals("status: waiting", lines.get(3));
        assertTrue(lines.contains("statusDetail: build check of . ready for review"), r::toString);
        assertTrue(lines.contains("waitingOn: review"), r::toString);
        assertTrue(r.out().contains("\"list\": \"README.md\""), r::toString);
        nothingLeftOpen(); // a run stopped at a checkpoint holds no session either

        Acpx.Result runs = run("flow", "runs");
        assertEquals(0, runs.code(), runs::toString);
        assertTrue(runs.out().lines().anyMatch(l -> l.startsWith(runId) && l.contains("waiting") && l.contains("waiting on review")),
                runs::toString);

        Acpx.Result resumed = run("--format", "quiet", "flow", "resume", runId);
        assertEquals(0, resumed.code(), resumed::toString);
        assertEquals(runId, resumed.out().strip());
        Acpx.Result listed = run("--format", "json", "flow", "runs");
        JsonNode run = mapper.readTree(listed.out().strip()).get(0);
        assertEquals("completed", run.get("status").asText(), listed::toString);
        JsonNode state = mapper.readTree(Path.of(run.get("runDir").asText()).resolve("projections/run.json").toFile());
        assertEquals("archived " + runId, state.get("outputs").get("archive").asText());

        Acpx.Result again = run("flow", "resume", runId);
        assertEquals(2, again.code(), again::toString);
        assertTrue(again.err().contains("is not waiting at a checkpoint (status: completed)"), again::toString);
    }

    @Test
    void theJavaExampleRunsOnTheDemoAgent() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", Acpx.REPO.resolve("acpx-cli/target/acpx.jar").toString(),
                EXAMPLES.resolve("java/ReleaseNotesFlow.java").toString(), "demo", acpx.cwd.toString())
                .directory(acpx.cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(acpx.env);
        Path out = root.resolve("java-example.txt");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "the Java example did not end");
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("status: completed"), text);
        String file = text.lines().filter(l -> l.startsWith("write: ")).findFirst().orElseThrow()
                .replaceAll(".*file=([^,}]+).*", "$1");
        assertTrue(Files.readString(Path.of(file)).contains("You said: Write two lines of release notes"), text);
        Files.delete(Path.of(file));
        Acpx.Result runs = run("flow", "runs");
        assertTrue(runs.out().contains("release-notes") && runs.out().contains("completed"), runs::toString);
    }

    @Test
    void aFailingActionExitsOneATimeoutThreeAndBadInputTwo() throws Exception {
        Path fails = flowFile("fails.json", """
                {"name":"fails","nodes":{"build":{"nodeType":"action",
                  "exec":{"command":"sh","args":["-c","echo boom >&2; exit 7"]}}}}""");
        Acpx.Result failed = run("flow", "run", fails.toString());
        assertEquals(1, failed.code(), failed::toString);
        assertEquals("", failed.out(), "no result is printed for a failed run");
        assertTrue(failed.err().contains("Shell action failed (sh \"-c\" \"echo boom >&2; exit 7\"): exit 7"), failed::toString);
        assertTrue(failed.err().contains("boom"), failed::toString);

        Path slow = flowFile("slow.json", """
                {"name":"slow","nodes":{"turn":{"nodeType":"acp","prompt":"slow 60000","timeoutMs":2000}}}""");
        Acpx.Result timedOut = run("--format", "json", "flow", "run", slow.toString(), "--default-agent", "mock");
        assertEquals(3, timedOut.code(), timedOut::toString);
        JsonNode error = mapper.readTree(timedOut.out().strip());
        assertEquals(-32070, error.get("error").get("code").asInt(), timedOut::toString);
        assertTrue(error.get("error").get("message").asText().contains("Timed out after 2000ms"), timedOut::toString);

        Acpx.Result both = run("flow", "run", fails.toString(), "--input-json", "{}", "--input-file", "x.json");
        assertEquals(2, both.code(), both::toString);
        assertTrue(both.err().contains("Use only one of --input-json or --input-file"), both::toString);
        Acpx.Result badJson = run("flow", "run", fails.toString(), "--input-json", "{nope");
        assertEquals(2, badJson.code(), badJson::toString);
        assertTrue(badJson.err().contains("--input-json must contain valid JSON: "), badJson::toString);

        Path strict = flowFile("strict.json", """
                {"name":"strict","permissions":{"requiredMode":"approve-all","requireExplicitGrant":true,
                 "reason":"it writes"},"nodes":{"a":{"nodeType":"compute","output":1}}}""");
        Acpx.Result noGrant = run("flow", "run", strict.toString());
        assertEquals(2, noGrant.code(), noGrant::toString);
        assertTrue(noGrant.err().contains("Flow \"strict\" requires an explicit approve-all grant. Rerun with"
                + " --approve-all. Reason: it writes"), noGrant::toString);
        Acpx.Result lowMode = run("--approve-reads", "flow", "run", strict.toString());
        assertEquals(2, lowMode.code(), lowMode::toString);
        assertTrue(lowMode.err().contains("requires permission mode approve-all"), lowMode::toString);
        assertEquals(0, run("--approve-all", "flow", "run", strict.toString()).code());

        Path module = flowFile("x.flow.ts", "export default {}");
        Acpx.Result ts = run("flow", "run", module.toString());
        assertEquals(1, ts.code(), ts::toString);
        assertTrue(ts.err().contains("is a JavaScript/TypeScript module"), ts::toString);
        Path invalid = flowFile("invalid.json", "{\"name\":\"x\",\"nodes\":{\"a\":{\"nodeType\":\"acp\"}}}");
        Acpx.Result inv = run("flow", "run", invalid.toString());
        assertEquals(1, inv.code(), inv::toString);
        assertTrue(inv.err().contains("Invalid flow node \"a\": prompt: "), inv::toString);
    }

    @Test
    void aKilledRunLeavesNoAgentNoShellAndNoOpenSession() throws Exception {
        Acpx.assumeOwnProcesses("a SIGKILLed run process (in the daemon a killed client only interrupts the run, which then ends cleanly)");
        Process p = startSleepingRun();
        Path trace = awaitSleep(p);
        Path runDir = trace.getParent();
        JsonNode running = mapper.readTree(runDir.resolve("projections/run.json").toFile());
        String recordId = running.get("sessionBindings").elements().next().get("acpxRecordId").asText();
        assertFalse(mapper.readTree(acpx.home.resolve(".acpx/sessions/" + recordId + ".json").toFile())
                .get("closed").asBoolean(), "the session is open while the run runs");

        p.toHandle().destroyForcibly(); // SIGKILL: no finally block of the run gets to run
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        // the watchdogs end the agent and the shell's group without any acpx call
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 20000), "the killed run's processes live on");

        // Any `sessions list` finishes the dead run first: its session is listed closed, never a zombie.
        Acpx.Result sessions = run("--format", "json", "mock", "sessions", "list");
        assertEquals(0, sessions.code(), sessions::toString);
        JsonNode listedRecord = null;
        for (JsonNode r : mapper.readTree(sessions.out().strip())) {
            if (recordId.equals(r.path("acpxRecordId").asText())) {
                listedRecord = r;
            }
        }
        assertTrue(listedRecord != null && listedRecord.path("closed").asBoolean(), sessions::toString);

        Acpx.Result listed = run("--format", "json", "flow", "runs");
        assertEquals(0, listed.code(), listed::toString);
        JsonNode run = mapper.readTree(listed.out().strip()).get(0);
        assertEquals("failed", run.get("status").asText(), listed::toString);
        assertTrue(run.get("error").asText().contains("ended while it ran in node wait; acpx closed its 1 open session(s)"),
                listed::toString);
        JsonNode record = mapper.readTree(acpx.home.resolve(".acpx/sessions/" + recordId + ".json").toFile());
        assertTrue(record.get("closed").asBoolean(), record::toString);
        assertTrue(record.get("closed_reason").asText().matches("closed by acpx: flow run .* died"), record::toString);
        assertTrue(Files.readString(trace).contains("\"reaped\":true"));
    }

    @Test
    void anInterruptedRunClosesItsSessionsItselfAndExits130() throws Exception {
        Process p = startSleepingRun();
        Path trace = awaitSleep(p);
        p.toHandle().destroy(); // SIGTERM, as Ctrl+C
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(130, p.exitValue(), acpx.read(p, "err"));
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 20000), "the interrupted run's processes live on");
        // no other acpx call: the run itself closed its session and wrote its end
        JsonNode state = mapper.readTree(trace.getParent().resolve("projections/run.json").toFile());
        assertEquals("failed", state.get("status").asText(), state::toString);
        assertEquals("Interrupted", state.get("error").asText());
        String recordId = state.get("sessionBindings").elements().next().get("acpxRecordId").asText();
        JsonNode record = mapper.readTree(acpx.home.resolve(".acpx/sessions/" + recordId + ".json").toFile());
        assertTrue(record.get("closed").asBoolean(), record::toString);
    }

    private Process startSleepingRun() throws Exception {
        Path flow = flowFile("kill.json", """
                {"name":"kill-me","nodes":{
                  "ask":{"nodeType":"acp","prompt":"echo before the kill"},
                  "wait":{"nodeType":"action","exec":{"command":"sleep","args":["300"]}}},
                 "edges":[{"from":"ask","to":"wait"}]}""");
        return acpx.start(null, "flow", "run", flow.toString(), "--default-agent", "mock");
    }

    /** Waits until the run's shell action runs its sleep; returns the run's trace. */
    private Path awaitSleep(Process p) throws Exception {
        Path runs = acpx.home.resolve(".acpx/flows/runs");
        Path trace = null;
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(runs)) {
                try (Stream<Path> dirs = Files.list(runs)) {
                    trace = dirs.map(d -> d.resolve("trace.ndjson")).filter(Files::exists).findFirst().orElse(null);
                }
            }
            if (trace != null && Files.readString(trace).contains("\"action_prepared\"")) {
                break;
            }
            assertTrue(p.isAlive(), "the run ended early: " + acpx.read(p, "err"));
            Thread.sleep(100);
        }
        assertTrue(trace != null && Files.readString(trace).contains("\"action_prepared\""), "the run never reached the sleep");
        long sleepDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Procs.withMarker(acpx.marker).stream().noneMatch(l -> l.contains("sleep 300"))
                && System.nanoTime() < sleepDeadline) {
            Thread.sleep(50);
        }
        assertTrue(Procs.withMarker(acpx.marker).stream().anyMatch(l -> l.contains("sleep 300")), "the sleep never started");
        return trace;
    }
}
