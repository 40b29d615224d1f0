package dev.acpx.core.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes one run's files as it goes: trace events (numbered from 1 across resumes), projections after
 * every change, artifacts, the manifest and each session bundle's binding, events and record copy.
 * Used from the engine's thread and, for session events, the runtime's listener threads (hence synchronized).
 */
final class RunRecorder {
    static final String MANIFEST_SCHEMA = "acpx.flow-run-bundle.v1";
    static final String TRACE_SCHEMA = "acpx.flow-trace-event.v1";

    private final RunStore store;
    private final Path dir;
    private final RunState run;
    private final Clock clock;
    private long seq;
    private final Map<String, Long> bundleSeq = new LinkedHashMap<>();

    RunRecorder(RunStore store, Path dir, RunState run, Clock clock) {
        this.store = store;
        this.dir = dir;
        this.run = run;
        this.clock = clock;
        this.seq = countLines(dir.resolve("trace.ndjson"));
    }

    Path dir() {
        return dir;
    }

    RunState run() {
        return run;
    }

    String now() {
        return clock.instant().toString();
    }

    synchronized void trace(String scope, String type, String nodeId, String attemptId, String sessionId,
                            String artifact, Map<String, Object> payload) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("seq", ++seq);
        e.put("at", now());
        e.put("runId", run.runId);
        e.put("scope", scope);
        e.put("type", type);
        if (nodeId != null) {
            e.put("nodeId", nodeId);
        }
        if (attemptId != null) {
            e.put("attemptId", attemptId);
        }
        if (sessionId != null) {
            e.put("sessionId", sessionId);
        }
        if (artifact != null) {
            e.put("artifact", artifact);
        }
        e.put("payload", payload == null ? Map.of() : payload);
        store.appendLine(dir.resolve("trace.ndjson"), e);
    }

    /** Stores an artifact and traces {@code artifact_written}; returns its path in the run. */
    String artifact(String content, String ext, String nodeId, String attemptId) {
        String rel = store.artifact(dir, content, ext);
        trace("artifact", "artifact_written", nodeId, attemptId, null, rel,
                Map.of("bytes", content.getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        return rel;
    }

    synchronized void saveProjections() {
        run.updatedAt = now();
        store.writeJson(dir, "projections/run.json", run.toRunJson());
        store.writeJson(dir, "projections/live.json", run.live());
        store.writeJson(dir, "projections/steps.json", run.steps);
        saveManifest();
    }

    private void saveManifest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", MANIFEST_SCHEMA);
        m.put("runId", run.runId);
        m.put("flowName", run.flowName);
        m.put("runTitle", run.runTitle);
        m.put("flowPath", run.flowPath);
        m.put("startedAt", run.startedAt);
        m.put("finishedAt", run.finishedAt);
        m.put("status", run.status);
        m.put("traceSchema", TRACE_SCHEMA);
        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put("flow", "flow.json");
        paths.put("trace", "trace.ndjson");
        paths.put("runProjection", "projections/run.json");
        paths.put("liveProjection", "projections/live.json");
        paths.put("stepsProjection", "projections/steps.json");
        paths.put("sessionsDir", "sessions");
        paths.put("artifactsDir", "artifacts");
        m.put("paths", paths);
        List<Object> sessions = new ArrayList<>();
        for (Object b : run.sessionBindings.values()) {
            if (b instanceof Map<?, ?> binding) {
                String bundle = (String) binding.get("bundleId");
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("id", bundle);
                s.put("handle", binding.get("handle"));
                s.put("bindingPath", "sessions/" + bundle + "/binding.json");
                s.put("recordPath", "sessions/" + bundle + "/record.json");
                s.put("eventsPath", "sessions/" + bundle + "/events.ndjson");
                sessions.add(s);
            }
        }
        m.put("sessions", sessions);
        store.writeJson(dir, "manifest.json", m);
    }

    void writeJson(String rel, Object value) {
        store.writeJson(dir, rel, value);
    }

    /** Creates {@code sessions/<bundleId>/} with its binding. */
    void bindSession(String bundleId, Map<String, Object> binding) {
        try {
            RunStore.privateDir(dir.resolve("sessions").resolve(bundleId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.writeJson(dir, "sessions/" + bundleId + "/binding.json", binding);
    }

    /** One ACP message of a bundle's session; returns its seq in the bundle. */
    synchronized long sessionEvent(String bundleId, String direction, Object message) {
        long n = bundleSeq.merge(bundleId, 1L, Long::sum);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("seq", n);
        e.put("at", now());
        e.put("direction", direction);
        e.put("message", message);
        store.appendLine(dir.resolve("sessions").resolve(bundleId).resolve("events.ndjson"), e);
        return n;
    }

    synchronized long bundleSeq(String bundleId) {
        return bundleSeq.getOrDefault(bundleId, 0L);
    }

    /** Copies the acpx session record (as stored in ~/.acpx/sessions) into the bundle. */
    void copyRecord(String bundleId, Path recordFile) {
        try {
            if (Files.isRegularFile(recordFile)) {
                RunStore.write(dir.resolve("sessions").resolve(bundleId).resolve("record.json"), Files.readAllBytes(recordFile));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + recordFile + ": " + e.getMessage(), e);
        }
    }

    private static long countLines(Path file) {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            return 0;
        }
    }
}
