package dev.acpx.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.flow.Flow;
import dev.acpx.api.flow.FlowEdge;
import dev.acpx.api.flow.FlowNode;
import dev.acpx.api.flow.FlowRunOptions;
import dev.acpx.api.flow.FlowRunResult;
import dev.acpx.api.flow.FlowRunner;
import dev.acpx.api.flow.ShellSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on flows without agents (their turns are in FlowAcpTest): every node type but acp, both
 * edge kinds, a retry loop, timeouts, a failing shell action, checkpoint and resume, and the run store.
 */
@Timeout(120)
class FlowEngineTest {
    @TempDir
    Path home;
    @TempDir
    Path work;
    AcpxRuntime runtime;
    FlowRunner runner;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void start() {
        runtime = AcpxRuntime.builder().userHome(home).shutdownHook(false).build();
        runner = FlowRunner.create(runtime, home);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    FlowRunOptions options() {
        return new FlowRunOptions(work, null, PermissionPolicies.denyAll());
    }

    @Test
    void computeActionShellAndSwitchOnOutputStateAndInput() throws Exception {
        Flow flow = Flow.builder("mixed")
                .title(input -> "for " + ((Map<?, ?>) input).get("who"))
                .node("count", FlowNode.compute(ctx -> {
                    ctx.state().put("n", 2);
                    return Map.of("kind", "small", "who", ((Map<?, ?>) ctx.input()).get("who"));
                }))
                .node("small", FlowNode.shell(ctx -> new ShellSpec("sh", List.of("-c", "echo \"$GREETING $0\"; echo warn >&2",
                        (String) ((Map<?, ?>) ctx.outputs().get("count")).get("who")), null, Map.of("GREETING", "hello"),
                        null, false, false, null, 0)))
                .node("big", FlowNode.compute(ctx -> "never"))
                .node("byState", FlowNode.action(ctx -> Map.of("shell", ctx.runShell(ShellSpec.sh("exit 3")).exitCode())))
                .node("byInput", FlowNode.compute(ctx -> "input said go"))
                .edge(FlowEdge.switchOn("count", "$.kind", Map.of("small", "small", "big", "big")))
                .edge(FlowEdge.switchOn("small", "$output.exitCode", Map.of("0", "byState")))
                .edge(FlowEdge.switchOn("byState", "$state.n", Map.of("2", "byInput")))
                .build();
        FlowRunResult r = runner.run(flow, Map.of("who", "bob"), options());
        assertEquals("completed", r.status(), String.valueOf(r.error()));
        assertEquals("for bob", r.runTitle());
        @SuppressWarnings("unchecked")
        Map<String, Object> shell = (Map<String, Object>) r.outputs().get("small");
        assertEquals("hello bob\n", shell.get("stdout"));
        assertEquals("warn\n", shell.get("stderr"));
        assertEquals(0, shell.get("exitCode"));
        assertEquals(work.toString(), shell.get("cwd"));
        assertEquals(Map.of("shell", 3), r.outputs().get("byState"), "runShell never fails on a non-zero exit");
        assertEquals("input said go", r.outputs().get("byInput"));
        assertFalse(r.outputs().containsKey("big"));
    }

    @Test
    void aRetryLoopOnResultOutcomeEndsWhenTheNodeSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        Flow flow = Flow.builder("retry")
                .node("flaky", FlowNode.action(ctx -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("not yet " + ctx.attemptId());
                    }
                    return ctx.attemptId();
                }))
                .node("done", FlowNode.compute(ctx -> ((Map<?, ?>) ctx.results().get("flaky")).get("outcome")))
                .edge(FlowEdge.switchOn("flaky", "$result.outcome", Map.of("ok", "done", "failed", "flaky")))
                .build();
        FlowRunResult r = runner.run(flow, null, options());
        assertEquals("completed", r.status(), String.valueOf(r.error()));
        assertEquals("flaky#3", r.outputs().get("flaky"));
        assertEquals("ok", r.outputs().get("done"));
        assertEquals(3, calls.get());
    }

    @Test
    void aFailingShellActionFailsTheRunWithTheNodeAcpxMessage() throws Exception {
        Flow flow = Flow.builder("fails")
                .node("build", FlowNode.shell(ctx -> ShellSpec.sh("echo out; echo boom >&2; exit 7")))
                .node("after", FlowNode.compute(ctx -> "never"))
                .edge(FlowEdge.to("build", "after"))
                .build();
        FlowRunResult r = runner.run(flow, null, options());
        assertEquals("failed", r.status());
        assertEquals(ErrorKind.RUNTIME, r.errorKind());
        assertEquals("Shell action failed (sh \"-c\" \"echo out; echo boom >&2; exit 7\"): exit 7\nboom", r.error());
        assertEquals("Failed in build: " + r.error(), r.statusDetail());
        JsonNode run = mapper.readTree(r.runDir().resolve("projections/run.json").toFile());
        assertEquals("failed", run.get("status").asText());
        assertEquals("failed", run.get("results").get("build").get("outcome").asText());
        // stdout and stderr are two pipes: the combined text has both, in arrival order (not exact across them)
        String raw = run.get("steps").get(0).get("rawText").asText();
        assertTrue(raw.equals("out\nboom\n") || raw.equals("boom\nout\n"), raw);
        assertFalse(run.get("outputs").has("after"));
        assertTrue(Files.readString(r.runDir().resolve("trace.ndjson")).contains("\"type\":\"run_failed\""));
        // a switch on the output is not a way out of a failure: only $result. is
        Flow plain = Flow.builder("fails2")
                .node("build", FlowNode.shell(ctx -> ShellSpec.sh("exit 1")))
                .node("x", FlowNode.compute(ctx -> 1))
                .edge(FlowEdge.switchOn("build", "$.exitCode", Map.of("1", "x")))
                .build();
        assertEquals("failed", runner.run(plain, null, options()).status());
        // allowNonZeroExit: the exit code is data
        Flow allowed = Flow.builder("allowed")
                .node("build", FlowNode.shell(ctx -> ShellSpec.sh("exit 4").allowingNonZeroExit()))
                .build();
        FlowRunResult ok = runner.run(allowed, null, options());
        assertEquals("completed", ok.status());
        assertEquals(4, ((Map<?, ?>) ok.outputs().get("build")).get("exitCode"));
    }

    @Test
    void nodeDeadlinesEndComputesAndShellGroupsAndATimedOutNodeCanBeRoutedAround() throws Exception {
        Path marker = work.resolve("child.pid");
        Flow flow = Flow.builder("slow")
                .node("sleepy", FlowNode.shell(ctx -> ShellSpec.sh("sleep 60 & echo $! > " + marker + "; wait"))
                        .withTimeout(Duration.ofMillis(1500)))
                .build();
        long t0 = System.nanoTime();
        FlowRunResult r = runner.run(flow, null, options());
        assertEquals("timed_out", r.status());
        assertEquals(ErrorKind.TIMEOUT, r.errorKind());
        assertEquals("Timed out after 1500ms", r.error());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(50).toNanos(), "the sleep was not cut short");
        long child = Long.parseLong(Files.readString(marker).strip());
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
                "the shell's background child outlived the node's deadline");

        Flow around = Flow.builder("around")
                .node("spin", new FlowNode.Compute(ctx -> {
                    while (!ctx.cancelled()) {
                        Thread.onSpinWait();
                    }
                    return "stopped";
                }, Duration.ofMillis(300), null))
                .node("fallback", FlowNode.compute(ctx -> ((Map<?, ?>) ctx.results().get("spin")).get("error")))
                .edge(FlowEdge.switchOn("spin", "$result.outcome", Map.of("timed_out", "fallback")))
                .build();
        FlowRunResult a = runner.run(around, null, options());
        assertEquals("completed", a.status(), String.valueOf(a.error()));
        assertEquals("Timed out after 300ms", a.outputs().get("fallback"));
    }

    @Test
    void aLongNodeBeatsItsHeartbeatIntoTheLiveProjectionAndTrace() throws Exception {
        Flow flow = Flow.builder("beats")
                .node("wait", FlowNode.action(ctx -> {
                    try {
                        Thread.sleep(1200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "done";
                }))
                .build();
        FlowRunResult r = runner.run(flow, null, options().withHeartbeat(Duration.ofMillis(200)));
        assertEquals("completed", r.status());
        List<String> beats = Files.readAllLines(r.runDir().resolve("trace.ndjson")).stream()
                .filter(l -> l.contains("\"node_heartbeat\"")).toList();
        assertTrue(beats.size() >= 2, "heartbeats: " + beats);
        assertTrue(beats.getFirst().contains("\"attemptId\":\"wait#1\""), beats.getFirst());
        assertTrue(mapper.readTree(r.runDir().resolve("projections/live.json").toFile()).has("lastHeartbeatAt"));
        FlowRunResult quiet = runner.run(flow, null, options().withHeartbeat(Duration.ZERO));
        assertFalse(Files.readString(quiet.runDir().resolve("trace.ndjson")).contains("node_heartbeat"));
    }

    @Test
    void routingErrorsNameThePathAndValue() {
        Flow noCase = Flow.builder("nocase")
                .node("a", FlowNode.compute(ctx -> Map.of("route", "zzz")))
                .node("b", FlowNode.compute(ctx -> 1))
                .edge(FlowEdge.switchOn("a", "$.route", Map.of("x", "b")))
                .build();
        assertEquals("No flow switch case for $.route=\"zzz\"", runner.run(noCase, null, options()).error());
        Flow notScalar = Flow.builder("notscalar")
                .node("a", FlowNode.compute(ctx -> Map.of("route", List.of(1))))
                .node("b", FlowNode.compute(ctx -> 1))
                .edge(FlowEdge.switchOn("a", "$.route", Map.of("x", "b")))
                .build();
        assertEquals("Flow switch value must be scalar for $.route", runner.run(notScalar, null, options()).error());
        Flow badPath = Flow.builder("badpath")
                .node("a", FlowNode.compute(ctx -> 1))
                .node("b", FlowNode.compute(ctx -> 1))
                .edge(FlowEdge.switchOn("a", "route", Map.of("x", "b")))
                .build();
        assertEquals("Unsupported JSON path: route", runner.run(badPath, null, options()).error());
        assertEquals("Flow start node is missing: nope", assertThrows(IllegalArgumentException.class,
                () -> Flow.builder("x").node("a", FlowNode.compute(ctx -> 1)).startAt("nope").build()).getMessage());
    }

    @Test
    void aCheckpointStopsTheRunAndResumeGoesOnAlongItsEdge() throws Exception {
        Flow flow = Flow.builder("gate")
                .node("prepare", FlowNode.compute(ctx -> {
                    ctx.state().put("prepared", true);
                    return "ready";
                }))
                .node("review", FlowNode.checkpoint("needs review"))
                .node("ship", FlowNode.compute(ctx -> "shipped after " + ctx.outputs().get("prepare")
                        + " with state " + ctx.state().get("prepared")))
                .edge(FlowEdge.to("prepare", "review"))
                .edge(FlowEdge.to("review", "ship"))
                .build();
        FlowRunResult waiting = runner.run(flow, Map.of(), options());
        assertEquals("waiting", waiting.status());
        assertEquals("review", waiting.waitingOn());
        assertEquals("needs review", waiting.statusDetail());
        assertEquals(Map.of("checkpoint", "review", "summary", "needs review"), waiting.outputs().get("review"));
        assertEquals("waiting", runner.runs().getFirst().status());

        try (var held = dev.acpx.core.lifecycle.HostFileLock.tryLock(waiting.runDir().resolve("run.lock")).orElseThrow()) {
            AcpxException busy = assertThrows(AcpxException.class, () -> runner.resume(flow, waiting.runId(), options()));
            assertTrue(busy.getMessage().contains("is being run by another process"), busy.getMessage());
        }
        FlowRunResult done = runner.resume(flow, waiting.runId(), options());
        assertEquals("completed", done.status(), String.valueOf(done.error()));
        assertEquals("shipped after ready with state true", done.outputs().get("ship"));
        assertEquals(waiting.runId(), done.runId());
        assertEquals("completed", runner.runs().getFirst().status());
        AcpxException again = assertThrows(AcpxException.class, () -> runner.resume(flow, waiting.runId(), options()));
        assertEquals(ErrorKind.USAGE, again.kind());
        assertTrue(again.getMessage().contains("is not waiting at a checkpoint (status: completed)"), again.getMessage());
        assertEquals(ErrorKind.NO_SESSION, assertThrows(AcpxException.class,
                () -> runner.resume(flow, "2020-01-01T000000000Z-none-12345678", options())).kind());
        // the trace numbers its events across the resume
        List<String> trace = Files.readAllLines(done.runDir().resolve("trace.ndjson"));
        for (int i = 0; i < trace.size(); i++) {
            assertEquals(i + 1, mapper.readTree(trace.get(i)).get("seq").asInt(), trace.get(i));
        }
        assertTrue(trace.stream().anyMatch(l -> l.contains("\"run_waiting\"")));
        assertTrue(trace.stream().anyMatch(l -> l.contains("\"run_resumed\"")));
        assertTrue(trace.getLast().contains("\"run_completed\""), trace.getLast());
    }

    @Test
    void theRunStoreHasTheNodeAcpxLayout() throws Exception {
        Flow flow = Flow.builder("Store Check!")
                .node("big", FlowNode.compute(ctx -> "x".repeat(500)))
                .node("small", FlowNode.shell(ctx -> ShellSpec.sh("echo hi")))
                .edge(FlowEdge.to("big", "small"))
                .build();
        // no heartbeat: the trace's list of events below must not depend on how slow this machine is
        FlowRunResult r = runner.run(flow, Map.of("k", 1), options().withHeartbeat(Duration.ZERO));
        assertEquals("completed", r.status());
        Path dir = r.runDir();
        assertEquals(home.resolve(".acpx/flows/runs"), dir.getParent());
        assertTrue(r.runId().matches("\\d{4}-\\d\\d-\\d\\dT\\d{9}Z-store-check-[0-9a-f]{8}"), r.runId());
        for (String f : List.of("manifest.json", "flow.json", "trace.ndjson", "projections/run.json",
                "projections/live.json", "projections/steps.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        JsonNode manifest = mapper.readTree(dir.resolve("manifest.json").toFile());
        assertEquals("acpx.flow-run-bundle.v1", manifest.get("schema").asText());
        assertEquals("acpx.flow-trace-event.v1", manifest.get("traceSchema").asText());
        assertEquals("projections/steps.json", manifest.get("paths").get("stepsProjection").asText());
        JsonNode snapshot = mapper.readTree(dir.resolve("flow.json").toFile());
        assertEquals("acpx.flow-definition-snapshot.v1", snapshot.get("schema").asText());
        assertEquals("shell", snapshot.get("nodes").get("small").get("actionExecution").asText());
        JsonNode live = mapper.readTree(dir.resolve("projections/live.json").toFile());
        assertFalse(live.has("outputs"));
        assertEquals("completed", live.get("status").asText());
        JsonNode steps = mapper.readTree(dir.resolve("projections/steps.json").toFile());
        assertEquals(2, steps.size());
        String bigArtifact = steps.get(0).get("trace").get("outputArtifact").asText();
        assertTrue(bigArtifact.matches("artifacts/sha256-[0-9a-f]{64}\\.json"), bigArtifact);
        assertEquals("\"" + "x".repeat(500) + "\"", Files.readString(dir.resolve(bigArtifact)));
        JsonNode small = steps.get(1).get("trace");
        assertEquals("hi\n", Files.readString(dir.resolve(small.get("stdoutArtifact").asText())));
        assertEquals("sh", small.get("action").get("command").asText());
        assertNotNull(small.get("outputInline"));
        List<String> types;
        try (Stream<String> lines = Files.lines(dir.resolve("trace.ndjson"))) {
            types = lines.map(l -> {
                try {
                    return mapper.readTree(l).get("type").asText();
                } catch (Exception e) {
                    throw new AssertionError(l, e);
                }
            }).toList();
        }
        assertEquals(List.of("artifact_written", "run_started", "node_started", "artifact_written", "node_outcome",
                "node_started", "action_prepared", "artifact_written", "artifact_written", "action_completed",
                "node_outcome", "run_completed"), types);
    }
}
