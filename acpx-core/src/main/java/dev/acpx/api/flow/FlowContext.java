package dev.acpx.api.flow;

import java.util.Map;

/**
 * What a node's functions see. {@code outputs} and {@code results} hold the latest of each node that
 * ran (results as JSON: {@code attemptId, nodeId, nodeType, outcome, startedAt, finishedAt, durationMs,
 * output | error}); {@code state} is the run's own variables, a mutable JSON object kept in the run store
 * (so it survives a checkpoint and resume). Not thread-safe: use it from the node's thread.
 */
public interface FlowContext {
    String runId();

    String flowName();

    /** The node running now and its attempt ({@code <nodeId>#<n>}, n counting its visits in this run). */
    String nodeId();

    String attemptId();

    Object input();

    Map<String, Object> outputs();

    Map<String, Object> results();

    Map<String, Object> state();

    /**
     * Runs a shell command inside the node (the Node acpx's {@code runShell}): it never fails on a
     * non-zero exit, and ends with the node (timeout, cancel).
     */
    ShellResult runShell(ShellSpec spec);

    /**
     * The Node acpx's {@code extractJsonObject}: the text as JSON, else its first fenced block, else its
     * first balanced {@code {...}} or {@code [...]} that parses; fails with
     * {@code Could not parse JSON from assistant output}.
     */
    Object extractJson(String text);

    /** True once the node's deadline passed or the run was interrupted: long functions should stop. */
    boolean cancelled();
}
