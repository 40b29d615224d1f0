package dev.acpx.core.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.flow.Flow;
import dev.acpx.api.flow.FlowEdge;
import dev.acpx.api.flow.FlowNode;
import dev.acpx.api.flow.FlowRunInfo;
import dev.acpx.api.flow.FlowRunOptions;
import dev.acpx.api.flow.FlowRunResult;
import dev.acpx.api.flow.FlowRunner;
import dev.acpx.core.lifecycle.HostFileLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The flow runner: walks the graph one node at a time (SPEC-P2 §5.3), records the run in the store, and
 * closes every ACP session a run segment opened when the segment ends (completed, failed, timed out or
 * waiting at a checkpoint), which the Node acpx does not.
 */
public final class FlowEngine implements FlowRunner {
    /** A loop that never reaches its exit would otherwise write steps forever. */
    static final int MAX_STEPS = 10_000;

    private final AcpxRuntime runtime;
    private final Path userHome;
    private final Clock clock;
    private final FlowJson json;
    private final RunStore store;
    /** The run segments being driven now, for {@link #interrupt}. */
    private final Set<Segment> active = ConcurrentHashMap.newKeySet();

    private record Segment(RunRecorder rec, AcpTurns acp, ShellActions shells, AtomicBoolean interrupted) {}

    public FlowEngine(AcpxRuntime runtime, Path userHome) {
        this.runtime = runtime;
        this.userHome = userHome.toAbsolutePath().normalize();
        this.clock = runtime.clock();
        this.json = new FlowJson(new ObjectMapper());
        this.store = new RunStore(this.userHome, json.mapper(), clock);
    }

    @Override
    public Flow load(String source, String origin) {
        return new DataFlows(json).parse(source, origin);
    }

    @Override
    public FlowRunResult run(Flow flow, Object input, FlowRunOptions options) {
        Object runInput = json.copy(input == null ? new LinkedHashMap<>() : input);
        String title = flow.title() == null ? null : flow.title().apply(runInput); // before any file: it may throw
        String runId = store.newRunId(flow.name());
        Path dir = store.create(runId);
        HostFileLock lock = store.tryLock(dir).orElseThrow(() -> AcpxException.runtime("run " + runId + " is locked"));
        try {
            RunState run = new RunState();
            run.runId = runId;
            run.flowName = flow.name();
            run.flowPath = options.flowPath();
            run.cwd = options.cwd().toString();
            run.input = runInput;
            run.startedAt = clock.instant().toString();
            run.status = "running";
            run.runner = runner();
            run.runTitle = title == null || title.isBlank() ? null : title.strip();
            RunRecorder rec = new RunRecorder(store, dir, run, clock);
            rec.writeJson("flow.json", FlowSnapshot.of(flow));
            if (options.sourceJson() != null) {
                rec.writeJson("source.json", json.mapper().readValue(options.sourceJson(), Object.class));
            }
            rec.saveProjections();
            String inputArtifact = rec.artifact(json.text(run.input), "json", null, null);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("flowName", flow.name());
            payload.put("runTitle", run.runTitle);
            payload.put("flowPath", run.flowPath);
            payload.put("inputArtifact", inputArtifact);
            rec.trace("run", "run_started", null, null, null, null, payload);
            return drive(flow, rec, flow.startAt(), options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.close();
        }
    }

    @Override
    public FlowRunResult resume(Flow flow, String runId, FlowRunOptions options) {
        Path dir = existingRun(runId);
        HostFileLock lock = store.tryLock(dir).orElseThrow(() -> AcpxException.runtime(
                "Run " + runId + " is being run by another process; wait for it to end"));
        try {
            RunState run = loadRun(dir);
            if (!"waiting".equals(run.status) || run.waitingOn == null) {
                throw AcpxException.usage("Run " + runId + " is not waiting at a checkpoint (status: " + run.status
                        + "); only a run stopped at a checkpoint can be resumed");
            }
            if (!flow.name().equals(run.flowName) || !flow.nodes().containsKey(run.waitingOn)) {
                throw AcpxException.usage("Run " + runId + " is of flow \"" + run.flowName + "\" waiting on "
                        + run.waitingOn + "; pass that flow to resume it");
            }
            RunRecorder rec = new RunRecorder(store, dir, run, clock);
            if (run.cwd != null) {
                // The run goes on where it started, whatever the resuming command's cwd.
                options = new FlowRunOptions(Path.of(run.cwd), options.defaultAgent(), options.permissions(),
                        options.defaultTimeout(), options.agentOptions(), options.access(), run.flowPath,
                        options.sourceJson(), options.heartbeat());
            }
            String checkpoint = run.waitingOn;
            run.status = "running";
            run.waitingOn = null;
            run.statusDetail = null;
            run.finishedAt = null;
            run.runner = runner();
            rec.saveProjections();
            rec.trace("run", "run_resumed", checkpoint, null, null, null, Map.of("checkpoint", checkpoint));
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) run.results.get(checkpoint);
            NodeExecution.Outcome done = new NodeExecution.Outcome("ok", run.outputs.get(checkpoint), null, null,
                    result == null ? Map.of() : result);
            String next;
            try {
                next = Routing.next(flow.edgeFrom(checkpoint), done, run, json);
            } catch (Routing.Stop stop) {
                return finish(rec, "failed", stop.getMessage(), ErrorKind.RUNTIME, List.of());
            }
            if (next == null) {
                return finish(rec, "completed", null, null, List.of());
            }
            return drive(flow, rec, next, options);
        } finally {
            lock.close();
        }
    }

    private FlowRunResult drive(Flow flow, RunRecorder rec, String start, FlowRunOptions options) {
        RunState run = rec.run();
        AcpTurns acp = new AcpTurns(runtime, rec, json, options, userHome);
        ShellActions shells = new ShellActions();
        Segment segment = new Segment(rec, acp, shells, new AtomicBoolean());
        active.add(segment);
        String status = "completed";
        String error = null;
        ErrorKind kind = null;
        try {
            NodeExecution exec = new NodeExecution(rec, json, acp, shells, options);
            String current = start;
            int steps = 0;
            while (current != null) {
                if (++steps > MAX_STEPS) {
                    status = "failed";
                    error = "Flow ran " + MAX_STEPS + " steps without ending; a loop has no way out";
                    kind = ErrorKind.RUNTIME;
                    break;
                }
                FlowNode node = flow.nodes().get(current);
                NodeExecution.Outcome outcome = exec.attempt(current, node);
                if (outcome.ok() && node instanceof FlowNode.Checkpoint cp) {
                    status = "waiting";
                    run.waitingOn = current;
                    Object summary = outcome.output() instanceof Map<?, ?> m ? m.get("summary") : null;
                    run.statusDetail = summary instanceof String s ? s : cp.summary() != null ? cp.summary() : current;
                    break;
                }
                FlowEdge edge = flow.edgeFrom(current);
                try {
                    current = Routing.next(edge, outcome, run, json);
                } catch (Routing.Stop stop) {
                    status = stop.nodeError && "timed_out".equals(outcome.outcome()) ? "timed_out" : "failed";
                    error = stop.getMessage();
                    kind = stop.nodeError ? outcome.errorKind() : ErrorKind.RUNTIME;
                    run.statusDetail = stop.nodeError ? "Failed in " + current + ": " + error : error;
                    break;
                }
            }
        } catch (RuntimeException e) {
            status = "failed";
            error = e.getMessage() != null ? e.getMessage() : e.toString();
            kind = e instanceof AcpxException a ? a.kind() : ErrorKind.RUNTIME;
            run.statusDetail = error;
        } finally {
            shells.close();
            active.remove(segment);
        }
        List<String> closeFailures = acp.closeAll();
        if (segment.interrupted().get()) {
            return result(run, rec.dir(), ErrorKind.INTERRUPTED); // interrupt() wrote the run's end
        }
        return finish(rec, status, error, kind, closeFailures);
    }

    @Override
    public void interrupt() {
        for (Segment s : active) {
            if (!s.interrupted().compareAndSet(false, true)) {
                continue;
            }
            List<String> failures = s.acp().closeAll();
            s.shells().close();
            s.rec().run().statusDetail = "Interrupted";
            finish(s.rec(), "failed", "Interrupted", ErrorKind.INTERRUPTED, failures);
        }
    }

    private FlowRunResult finish(RunRecorder rec, String status, String error, ErrorKind kind, List<String> warnings) {
        synchronized (rec) {
            return finishLocked(rec, status, error, kind, warnings);
        }
    }

    private FlowRunResult finishLocked(RunRecorder rec, String status, String error, ErrorKind kind,
                                       List<String> warnings) {
        RunState run = rec.run();
        run.status = status;
        run.error = error;
        run.errorKind = kind == null ? null : kind.name();
        if ("completed".equals(status)) {
            run.statusDetail = null; // it described the last node while it ran
        } else if (error != null && run.statusDetail == null) {
            run.statusDetail = error;
        }
        run.clearCurrent();
        if (!"waiting".equals(status)) {
            run.finishedAt = clock.instant().toString();
        }
        rec.saveProjections();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("status", status);
        payload.put("error", error);
        if (!warnings.isEmpty()) {
            payload.put("warnings", warnings);
        }
        String type = switch (status) {
            case "completed" -> "run_completed";
            case "waiting" -> "run_waiting";
            default -> "run_failed";
        };
        rec.trace("run", type, run.waitingOn, null, null, null, payload);
        return result(run, rec.dir(), kind);
    }

    private static FlowRunResult result(RunState run, Path dir, ErrorKind kind) {
        return new FlowRunResult(run.runId, run.flowName, run.runTitle, run.flowPath, run.status, run.currentNode,
                run.currentNodeType, run.statusDetail, run.waitingOn, dir, run.outputs, run.sessionBindings, run.error,
                kind);
    }

    @Override
    public String storedSource(String runId) {
        Path file = existingRun(runId).resolve("source.json");
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<FlowRunInfo> runs() {
        List<FlowRunInfo> out = new ArrayList<>();
        for (Path dir : store.runDirs().reversed()) {
            Optional<Map> live = store.readJson(dir.resolve("projections/live.json"), Map.class);
            if (live.isEmpty()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            RunState s = RunState.fromJson(live.get());
            out.add(new FlowRunInfo(s.runId, s.flowName, s.runTitle, s.flowPath, s.status, s.currentNode, s.waitingOn,
                    s.error, instant(s.startedAt), instant(s.finishedAt), dir));
        }
        return out;
    }

    @Override
    public List<String> reap() {
        return new RunReaper(runtime, store, clock, userHome).reap();
    }

    private Path existingRun(String runId) {
        Path dir;
        try {
            dir = store.runDir(runId);
        } catch (IllegalArgumentException e) {
            throw AcpxException.usage("Not a flow run id: " + runId);
        }
        if (!Files.isDirectory(dir)) {
            throw new AcpxException(ErrorKind.NO_SESSION, "Flow run not found: " + runId
                    + " (see `acpx flow runs`)");
        }
        return dir;
    }

    @SuppressWarnings("unchecked")
    private RunState loadRun(Path dir) {
        return RunState.fromJson(store.readJson(dir.resolve("projections/run.json"), Map.class)
                .orElseThrow(() -> AcpxException.runtime("the run state " + dir.resolve("projections/run.json")
                        + " is missing or unreadable")));
    }

    private static Map<String, Object> runner() {
        ProcessHandle self = ProcessHandle.current();
        return NodeExecution.orderedMap("pid", self.pid(),
                "startedAt", self.info().startInstant().map(Instant::toString).orElse(null));
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
