package dev.acpx.api.flow;

import dev.acpx.api.AcpxRuntime;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Runs flows through an {@link AcpxRuntime} (its agents, permissions, slots and journal) and keeps
 * each run in {@code ~/.acpx/flows/runs/<runId>/} in the Node acpx's layout. Every ACP session a run
 * opens is closed when the run ends, whether it completes, fails, stops at a checkpoint or is
 * interrupted; a run whose process was killed has its sessions closed by the next reaper pass
 * ({@link #reap}, done by every {@code acpx flow} command).
 */
public interface FlowRunner {

    /**
     * A data-file flow (JSON; see docs/FLOWS.md): the same graph, with declarative prompts, computes,
     * shell actions and switches. {@code origin} names the file in error messages. Fails with
     * {@link IllegalArgumentException} saying what is wrong where.
     */
    Flow load(String json, String origin);

    /** Starts a run of {@code flow} with {@code input} (JSON; null = {@code {}}) and runs it to its end or a checkpoint. */
    FlowRunResult run(Flow flow, Object input, FlowRunOptions options);

    /**
     * Continues a run stopped at a checkpoint along the checkpoint's edge; {@code flow} must be the one the
     * run started with. RUNTIME error when the run is not waiting or is being resumed elsewhere.
     */
    FlowRunResult resume(Flow flow, String runId, FlowRunOptions options);

    /** The data-file source a run kept ({@link FlowRunOptions#sourceJson}), or null for a Java flow. */
    String storedSource(String runId);

    /** The runs in the store, newest first. */
    List<FlowRunInfo> runs();

    /**
     * Finds runs whose process died while running (their lock is free), closes every ACP session they
     * opened and marks them failed. Returns the ids of the runs it reaped.
     */
    List<String> reap();

    /**
     * Ends the runs this runner drives now (a host's shutdown, the CLI's Ctrl+C): each one's sessions are
     * closed and the run is marked failed with {@code Interrupted}. Its current node's turn or command
     * ends with the session or the process; the run's thread then returns that result.
     */
    void interrupt();

    /**
     * A runner over {@code runtime} keeping its runs under {@code userHome}'s {@code .acpx/flows/runs}
     * (the runtime's home), from the implementation on the class or module path.
     */
    static FlowRunner create(AcpxRuntime runtime, java.nio.file.Path userHome) {
        for (FlowRunnerProvider provider : ServiceLoader.load(FlowRunnerProvider.class,
                FlowRunner.class.getClassLoader())) {
            return provider.create(runtime, userHome);
        }
        throw new IllegalStateException("no dev.acpx.api.flow.FlowRunnerProvider on the class or module path;"
                + " put acpx-core's jar there");
    }
}
