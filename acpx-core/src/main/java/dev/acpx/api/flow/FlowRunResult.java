package dev.acpx.api.flow;

import dev.acpx.api.ErrorKind;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a run (or a resume) ended: {@code completed}, {@code waiting} (at checkpoint {@code waitingOn}),
 * {@code failed} or {@code timed_out}; {@code error} and {@code errorKind} are set for the last two
 * (TIMEOUT for a node's deadline, INTERRUPTED for an interrupt, RUNTIME otherwise).
 * {@code sessionBindings} maps each session key to its binding (JSON) as in the run store.
 */
public record FlowRunResult(String runId, String flowName, String runTitle, String flowPath, String status,
                            String currentNode, String currentNodeType, String statusDetail, String waitingOn,
                            Path runDir, Map<String, Object> outputs, Map<String, Object> sessionBindings,
                            String error, ErrorKind errorKind) {
    public boolean succeeded() {
        return "completed".equals(status) || "waiting".equals(status);
    }
}
