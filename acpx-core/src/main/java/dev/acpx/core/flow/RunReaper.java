package dev.acpx.core.flow;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.lifecycle.HostFileLock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finishes runs whose process died mid-run (a {@code kill -9}, a crash, an interrupt that halted the
 * JVM): such a run still says {@code running} but its {@code run.lock} is free. Its agents are already
 * gone (the runtime's watchdog ends them with the JVM); what is left is each session record it opened,
 * still open, which this closes, and the run itself, which is marked failed with the reason.
 */
final class RunReaper {
    private final AcpxRuntime runtime;
    private final RunStore store;
    private final Clock clock;
    private final Path userHome;

    RunReaper(AcpxRuntime runtime, RunStore store, Clock clock, Path userHome) {
        this.runtime = runtime;
        this.store = store;
        this.clock = clock;
        this.userHome = userHome;
    }

    List<String> reap() {
        List<String> reaped = new ArrayList<>();
        for (Path dir : store.runDirs()) {
            @SuppressWarnings("rawtypes")
            Optional<Map> live = store.readJson(dir.resolve("projections/live.json"), Map.class);
            if (live.isEmpty() || !"running".equals(live.get().get("status"))) {
                continue;
            }
            Optional<HostFileLock> lock = store.tryLock(dir);
            if (lock.isEmpty()) {
                continue; // its process is alive and running it
            }
            try (HostFileLock held = lock.get()) {
                if (reapOne(dir)) {
                    reaped.add(dir.getFileName().toString());
                }
            }
        }
        return reaped;
    }

    @SuppressWarnings("unchecked")
    private boolean reapOne(Path dir) {
        // Read again under the lock: a resume that finished meanwhile is not reaped.
        Optional<Map> full = store.readJson(dir.resolve("projections/run.json"), Map.class);
        if (full.isEmpty() || !"running".equals(full.get().get("status"))) {
            return false;
        }
        RunState run = RunState.fromJson(full.get());
        RunRecorder rec = new RunRecorder(store, dir, run, clock);
        List<String> closed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Object value : run.sessionBindings.values()) {
            if (!(value instanceof Map<?, ?> b) || b.get("acpxRecordId") == null) {
                continue;
            }
            String recordId = (String) b.get("acpxRecordId");
            Path cwd = Path.of((String) b.get("cwd"));
            try {
                AgentRef agent = b.get("agentName") != null
                        ? runtime.resolveAgent((String) b.get("agentName"), false, cwd)
                        : runtime.resolveAgent((String) b.get("agentCommand"), true, cwd);
                runtime.closeSession(agent, cwd, recordId, "closed by acpx: flow run " + run.runId + " died");
                closed.add(recordId);
            } catch (AcpxException e) {
                if (e.kind() != ErrorKind.NO_SESSION) {
                    failures.add(recordId + ": " + e.getMessage());
                }
            } catch (RuntimeException e) {
                failures.add(recordId + ": " + e.getMessage());
            }
            rec.copyRecord((String) b.get("bundleId"),
                    userHome.resolve(".acpx").resolve("sessions").resolve(recordId + ".json"));
        }
        Object pid = run.runner == null ? null : run.runner.get("pid");
        String where = run.currentNode == null ? "" : " in node " + run.currentNode;
        run.status = "failed";
        run.error = "The run's process" + (pid == null ? "" : " (pid " + pid + ")") + " ended while it ran" + where
                + "; acpx closed its " + closed.size() + " open session(s)";
        run.errorKind = ErrorKind.RUNTIME.name();
        run.statusDetail = run.error;
        run.finishedAt = clock.instant().toString();
        rec.saveProjections();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("status", "failed");
        payload.put("error", run.error);
        payload.put("reaped", true);
        payload.put("closedSessions", closed);
        if (!failures.isEmpty()) {
            payload.put("warnings", failures);
        }
        rec.trace("run", "run_failed", run.currentNode, run.currentAttemptId, null, null, payload);
        return true;
    }
}
