package dev.acpx.core.flow;

import dev.acpx.api.flow.FlowContext;
import dev.acpx.api.flow.ShellResult;
import dev.acpx.api.flow.ShellSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** What one node attempt's functions see; shell commands started here end with the attempt. */
final class NodeContext implements FlowContext {
    private final RunState run;
    private final String nodeId;
    private final String attemptId;
    private final FlowJson json;
    private final ShellActions shells;
    private final Path cwd;
    private final long deadlineNanos;
    private final NodeCancel cancel;

    NodeContext(RunState run, String nodeId, String attemptId, FlowJson json, ShellActions shells, Path cwd,
                long deadlineNanos, NodeCancel cancel) {
        this.run = run;
        this.nodeId = nodeId;
        this.attemptId = attemptId;
        this.json = json;
        this.shells = shells;
        this.cwd = cwd;
        this.deadlineNanos = deadlineNanos;
        this.cancel = cancel;
    }

    @Override
    public String runId() {
        return run.runId;
    }

    @Override
    public String flowName() {
        return run.flowName;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String attemptId() {
        return attemptId;
    }

    @Override
    public Object input() {
        return run.input;
    }

    @Override
    public Map<String, Object> outputs() {
        return java.util.Collections.unmodifiableMap(run.outputs);
    }

    @Override
    public Map<String, Object> results() {
        return java.util.Collections.unmodifiableMap(run.results);
    }

    @Override
    public Map<String, Object> state() {
        return run.state;
    }

    /** The attempt's time left, or null when it has no deadline. */
    Duration remaining() {
        if (deadlineNanos == Long.MAX_VALUE) {
            return null;
        }
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }

    Path cwd() {
        return cwd;
    }

    NodeCancel cancelHooks() {
        return cancel;
    }

    @Override
    public ShellResult runShell(ShellSpec spec) {
        try {
            return shells.run(spec, cwd, remaining(), cancel);
        } catch (ShellActions.ShellTimeout t) {
            return t.result;
        }
    }

    @Override
    public Object extractJson(String text) {
        return json.extract(text);
    }

    @Override
    public boolean cancelled() {
        return cancel.cancelled() || Thread.currentThread().isInterrupted();
    }
}
