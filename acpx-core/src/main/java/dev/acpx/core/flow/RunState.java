package dev.acpx.core.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one run as {@code projections/run.json} holds it (SPEC-P2 §5.4), plus ours: {@code state}
 * (the flow's own variables), {@code visits} (attempt numbering across a resume) and {@code runner} (pid
 * and start of the process running it). Mutated by the engine's thread only.
 */
final class RunState {
    String runId;
    String flowName;
    String runTitle;
    String flowPath;
    String cwd;
    String startedAt;
    String finishedAt;
    String updatedAt;
    String status;
    Object input;
    Map<String, Object> outputs = new LinkedHashMap<>();
    Map<String, Object> results = new LinkedHashMap<>();
    List<Object> steps = new ArrayList<>();
    Map<String, Object> sessionBindings = new LinkedHashMap<>();
    String currentNode;
    String currentAttemptId;
    String currentNodeType;
    String currentNodeStartedAt;
    String lastHeartbeatAt;
    String statusDetail;
    String waitingOn;
    String error;
    String errorKind;
    Map<String, Object> state = new LinkedHashMap<>();
    Map<String, Object> visits = new LinkedHashMap<>();
    Map<String, Object> runner;

    Map<String, Object> toRunJson() {
        Map<String, Object> m = live();
        m.put("input", input);
        m.put("outputs", outputs);
        m.put("results", results);
        m.put("steps", steps);
        m.put("state", state);
        m.put("visits", visits);
        return m;
    }

    /** The run state minus input, outputs, results and steps. */
    Map<String, Object> live() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", runId);
        m.put("flowName", flowName);
        putIf(m, "runTitle", runTitle);
        putIf(m, "flowPath", flowPath);
        putIf(m, "cwd", cwd);
        m.put("startedAt", startedAt);
        putIf(m, "finishedAt", finishedAt);
        m.put("updatedAt", updatedAt);
        m.put("status", status);
        m.put("sessionBindings", sessionBindings);
        putIf(m, "currentNode", currentNode);
        putIf(m, "currentAttemptId", currentAttemptId);
        putIf(m, "currentNodeType", currentNodeType);
        putIf(m, "currentNodeStartedAt", currentNodeStartedAt);
        putIf(m, "lastHeartbeatAt", lastHeartbeatAt);
        putIf(m, "statusDetail", statusDetail);
        putIf(m, "waitingOn", waitingOn);
        putIf(m, "error", error);
        putIf(m, "errorKind", errorKind);
        putIf(m, "runner", runner);
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @SuppressWarnings("unchecked")
    static RunState fromJson(Map<String, Object> m) {
        RunState s = new RunState();
        s.runId = (String) m.get("runId");
        s.flowName = (String) m.get("flowName");
        s.runTitle = (String) m.get("runTitle");
        s.flowPath = (String) m.get("flowPath");
        s.cwd = (String) m.get("cwd");
        s.startedAt = (String) m.get("startedAt");
        s.finishedAt = (String) m.get("finishedAt");
        s.updatedAt = (String) m.get("updatedAt");
        s.status = (String) m.get("status");
        s.input = m.get("input");
        s.outputs = map(m.get("outputs"));
        s.results = map(m.get("results"));
        s.steps = m.get("steps") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        s.sessionBindings = map(m.get("sessionBindings"));
        s.currentNode = (String) m.get("currentNode");
        s.currentAttemptId = (String) m.get("currentAttemptId");
        s.currentNodeType = (String) m.get("currentNodeType");
        s.currentNodeStartedAt = (String) m.get("currentNodeStartedAt");
        s.lastHeartbeatAt = (String) m.get("lastHeartbeatAt");
        s.statusDetail = (String) m.get("statusDetail");
        s.waitingOn = (String) m.get("waitingOn");
        s.error = (String) m.get("error");
        s.errorKind = (String) m.get("errorKind");
        s.state = map(m.get("state"));
        s.visits = map(m.get("visits"));
        s.runner = m.get("runner") instanceof Map<?, ?> r ? (Map<String, Object>) r : null;
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
    }

    void clearCurrent() {
        currentNode = null;
        currentAttemptId = null;
        currentNodeType = null;
        currentNodeStartedAt = null;
    }
}
