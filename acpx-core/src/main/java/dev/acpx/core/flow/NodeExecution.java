package dev.acpx.core.flow;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.flow.FlowNode;
import dev.acpx.api.flow.FlowRunOptions;
import dev.acpx.api.flow.ShellResult;
import dev.acpx.api.flow.ShellSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one attempt of a node under its deadline (SPEC-P2 §5.3): the node's work runs on its own thread,
 * and when the deadline passes the attempt's cancel hooks end its turn or shell command and the attempt
 * is {@code timed_out}. Records the result, the step and the trace events.
 */
final class NodeExecution {
    /** How long an attempt past its deadline gets to wind down before the run goes on without it. */
    private static final Duration WIND_DOWN = Duration.ofSeconds(10);

    private final RunRecorder rec;
    private final FlowJson json;
    private final AcpTurns acp;
    private final ShellActions shells;
    private final FlowRunOptions options;

    /** How an attempt ended; {@code errorKind} is set unless ok. */
    record Outcome(String outcome, Object output, String error, ErrorKind errorKind, Map<String, Object> result) {
        boolean ok() {
            return "ok".equals(outcome);
        }
    }

    NodeExecution(RunRecorder rec, FlowJson json, AcpTurns acp, ShellActions shells, FlowRunOptions options) {
        this.rec = rec;
        this.json = json;
        this.acp = acp;
        this.shells = shells;
        this.options = options;
    }

    Outcome attempt(String nodeId, FlowNode node) {
        RunState run = rec.run();
        int visit = ((Number) run.visits.getOrDefault(nodeId, 0)).intValue() + 1;
        run.visits.put(nodeId, visit);
        String attemptId = nodeId + "#" + visit;
        Duration limit = node.timeout() != null ? node.timeout() : options.defaultTimeout();
        boolean unlimited = limit.isZero();
        Instant started = Instant.now();
        run.currentNode = nodeId;
        run.currentAttemptId = attemptId;
        run.currentNodeType = node.nodeType();
        run.currentNodeStartedAt = rec.now();
        run.statusDetail = node.statusDetail();
        rec.saveProjections();
        Map<String, Object> startPayload = new LinkedHashMap<>();
        startPayload.put("nodeType", node.nodeType());
        startPayload.put("timeoutMs", unlimited ? null : limit.toMillis());
        startPayload.put("statusDetail", node.statusDetail());
        rec.trace("node", "node_started", nodeId, attemptId, null, null, startPayload);

        NodeCancel cancel = new NodeCancel();
        long deadline = unlimited ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        NodeContext ctx = new NodeContext(run, nodeId, attemptId, json, shells, options.cwd(), deadline, cancel);
        Step step = new Step();
        FutureTask<Object> task = new FutureTask<>(() -> json.copy(body(node, ctx, step)));
        Thread worker = Thread.ofVirtual().name("acpx-flow-" + attemptId).start(task);
        String outcome;
        Object output = null;
        String error = null;
        ErrorKind kind = null;
        try {
            output = await(task, deadline, nodeId, attemptId);
            outcome = "ok";
        } catch (TimeoutException e) {
            cancel.cancel();
            task.cancel(true);
            join(worker);
            outcome = "timed_out";
            error = "Timed out after " + limit.toMillis() + "ms";
            kind = ErrorKind.TIMEOUT;
        } catch (InterruptedException e) {
            cancel.cancel();
            task.cancel(true);
            join(worker);
            Thread.currentThread().interrupt();
            outcome = "cancelled";
            error = "Interrupted";
            kind = ErrorKind.INTERRUPTED;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ShellActions.ShellTimeout || cause instanceof AcpxException a && a.kind() == ErrorKind.TIMEOUT) {
                outcome = "timed_out";
                error = cause instanceof ShellActions.ShellTimeout ? cause.getMessage() : "Timed out after " + limit.toMillis() + "ms";
                kind = ErrorKind.TIMEOUT;
            } else if (cause instanceof AcpxException a && a.kind() == ErrorKind.INTERRUPTED) {
                outcome = "cancelled";
                error = cause.getMessage();
                kind = ErrorKind.INTERRUPTED;
            } else {
                outcome = "failed";
                error = cause.getMessage() != null ? cause.getMessage() : cause.toString();
                kind = ErrorKind.RUNTIME;
            }
        }
        Instant finished = Instant.now();
        long durationMs = Duration.between(started, finished).toMillis();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("attemptId", attemptId);
        result.put("nodeId", nodeId);
        result.put("nodeType", node.nodeType());
        result.put("outcome", outcome);
        result.put("startedAt", started.toString());
        result.put("finishedAt", finished.toString());
        result.put("durationMs", durationMs);
        if ("ok".equals(outcome)) {
            result.put("output", output);
            run.outputs.put(nodeId, output);
        } else {
            result.put("error", error);
        }
        run.results.put(nodeId, result);
        Map<String, Object> traceFields = step.trace;
        if ("ok".equals(outcome)) {
            String text = json.text(output);
            if (text.length() <= 200 && !text.contains("\n")) {
                traceFields.put("outputInline", text);
            } else {
                traceFields.put("outputArtifact", rec.artifact(text, "json", nodeId, attemptId));
            }
        }
        Map<String, Object> stepRecord = new LinkedHashMap<>();
        stepRecord.put("attemptId", attemptId);
        stepRecord.put("nodeId", nodeId);
        stepRecord.put("nodeType", node.nodeType());
        stepRecord.put("outcome", outcome);
        stepRecord.put("startedAt", started.toString());
        stepRecord.put("finishedAt", finished.toString());
        stepRecord.put("promptText", step.promptText);
        stepRecord.put("rawText", step.rawText);
        stepRecord.put("output", output);
        if (error != null) {
            stepRecord.put("error", error);
        }
        stepRecord.put("session", step.session);
        stepRecord.put("agent", step.agent);
        stepRecord.put("trace", traceFields);
        run.steps.add(stepRecord);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("nodeType", node.nodeType());
        payload.put("outcome", outcome);
        payload.put("durationMs", durationMs);
        payload.put("error", error);
        payload.putAll(traceFields);
        rec.trace("node", "node_outcome", nodeId, attemptId, step.sessionId, null, payload);
        run.clearCurrent();
        rec.saveProjections();
        return new Outcome(outcome, output, error, kind, result);
    }

    /**
     * The attempt's output, waiting up to its deadline; every heartbeat interval meanwhile refreshes
     * {@code lastHeartbeatAt} and {@code live.json} and traces {@code node_heartbeat}.
     */
    private Object await(FutureTask<Object> task, long deadline, String nodeId, String attemptId)
            throws InterruptedException, ExecutionException, TimeoutException {
        long beat = options.heartbeat().toNanos();
        while (true) {
            long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            long slice = beat == 0 ? left : Math.min(left, beat);
            try {
                return slice == Long.MAX_VALUE ? task.get() : task.get(slice, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
                    throw e;
                }
                RunState run = rec.run();
                try {
                    synchronized (rec) {
                        run.lastHeartbeatAt = rec.now();
                        rec.saveProjections();
                    }
                    rec.trace("node", "node_heartbeat", nodeId, attemptId, null, null,
                            orderedMap("statusDetail", run.statusDetail));
                } catch (RuntimeException busy) {
                    // The node's own thread may be changing the run's state right now (a compute filling
                    // ctx.state()); this beat is skipped, the node's end writes the state whole.
                }
            }
        }
    }

    private static void join(Thread worker) {
        try {
            worker.join(WIND_DOWN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a step record and the node's trace carry besides the outcome. */
    private static final class Step {
        String promptText;
        String rawText;
        Object session;
        Object agent;
        String sessionId;
        final Map<String, Object> trace = new LinkedHashMap<>();
    }

    private Object body(FlowNode node, NodeContext ctx, Step step) {
        return switch (node) {
            case FlowNode.Acp a -> acp(a, ctx, step);
            case FlowNode.Compute c -> c.run().apply(ctx);
            case FlowNode.Action a when a.run() != null -> a.run().apply(ctx);
            case FlowNode.Action a -> shell(a, ctx, step);
            case FlowNode.Checkpoint c -> c.run() != null ? c.run().apply(ctx)
                    : orderedMap("checkpoint", ctx.nodeId(), "summary", c.summary() != null ? c.summary() : ctx.nodeId());
        };
    }

    private Object acp(FlowNode.Acp node, NodeContext ctx, Step step) {
        Path cwd = node.cwd() == null ? options.cwd() : options.cwd().resolve(node.cwd()).normalize();
        AgentRef agent = acp.agentOf(node, cwd);
        String prompt = node.prompt().apply(ctx);
        if (prompt == null || prompt.isBlank()) {
            throw new IllegalStateException("the prompt of acp node " + ctx.nodeId() + " is empty");
        }
        step.promptText = prompt;
        step.agent = orderedMap("agentName", agent.name(), "agentCommand", agent.command(), "cwd", cwd.toString());
        String promptArtifact = rec.artifact(prompt, "txt", ctx.nodeId(), ctx.attemptId());
        step.trace.put("promptArtifact", promptArtifact);
        rec.run().statusDetail = "ACP: " + firstLine(prompt);
        rec.trace("acp", "acp_prompt_prepared", ctx.nodeId(), ctx.attemptId(), null, promptArtifact,
                orderedMap("agentName", agent.name(), "cwd", cwd.toString(), "statusDetail", rec.run().statusDetail));
        AcpTurns.Turn turn = acp.run(node, ctx.attemptId(), agent, cwd, prompt, ctx.remaining(), ctx.cancelHooks());
        step.rawText = turn.text();
        step.session = turn.binding();
        step.sessionId = turn.sessionId();
        String rawArtifact = rec.artifact(turn.text(), "txt", ctx.nodeId(), ctx.attemptId());
        step.trace.put("sessionId", turn.sessionId());
        step.trace.put("rawResponseArtifact", rawArtifact);
        step.trace.put("conversation", orderedMap("sessionId", turn.sessionId(), "bundleId", turn.bundleId(),
                "eventStartSeq", turn.messageStart(), "eventEndSeq", turn.messageEnd()));
        Object output = node.parse() != null ? node.parse().apply(turn.text(), ctx) : turn.text();
        rec.trace("acp", "acp_response_parsed", ctx.nodeId(), ctx.attemptId(), turn.sessionId(), rawArtifact,
                orderedMap("parsed", node.parse() != null));
        return output;
    }

    private Object shell(FlowNode.Action node, NodeContext ctx, Step step) {
        ShellSpec spec = node.exec().apply(ctx);
        rec.run().statusDetail = "shell: " + ShellActions.describe(spec);
        rec.trace("action", "action_prepared", ctx.nodeId(), ctx.attemptId(), null, null,
                orderedMap("actionType", "shell", "command", spec.command(), "args", spec.args(),
                        "cwd", spec.cwd() == null ? options.cwd().toString() : options.cwd().resolve(spec.cwd()).normalize().toString()));
        ShellResult r;
        try {
            r = shells.run(spec, ctx.cwd(), ctx.remaining(), ctx.cancelHooks());
        } catch (ShellActions.ShellTimeout t) {
            record(step, ctx, t.result);
            throw t;
        }
        record(step, ctx, r);
        boolean failed = r.signal() != null || (r.exitCode() != null && r.exitCode() != 0);
        if (failed && !spec.allowNonZeroExit()) {
            if (ctx.cancelled()) {
                throw new AcpxException(ErrorKind.INTERRUPTED, "Shell action cancelled (" + ShellActions.describe(spec) + ")");
            }
            String how = r.signal() != null ? "signal " + r.signal() : "exit " + r.exitCode();
            String err = r.stderr().strip();
            throw new IllegalStateException("Shell action failed (" + ShellActions.describe(spec) + "): " + how
                    + (err.isEmpty() ? "" : "\n" + err));
        }
        return node.parse() != null ? node.parse().apply(r, ctx) : r.toJson();
    }

    private void record(Step step, NodeContext ctx, ShellResult r) {
        step.rawText = r.combinedOutput();
        step.trace.put("action", orderedMap("actionType", "shell", "command", r.command(), "args", r.args(),
                "cwd", r.cwd(), "exitCode", r.exitCode(), "signal", r.signal(), "durationMs", r.durationMs()));
        step.trace.put("stdoutArtifact", rec.artifact(r.stdout(), "txt", ctx.nodeId(), ctx.attemptId()));
        step.trace.put("stderrArtifact", rec.artifact(r.stderr(), "txt", ctx.nodeId(), ctx.attemptId()));
        rec.trace("action", "action_completed", ctx.nodeId(), ctx.attemptId(), null, null,
                orderedMap("exitCode", r.exitCode(), "signal", r.signal(), "durationMs", r.durationMs(),
                        "timedOut", r.timedOut()));
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) : line;
    }

    static Map<String, Object> orderedMap(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
