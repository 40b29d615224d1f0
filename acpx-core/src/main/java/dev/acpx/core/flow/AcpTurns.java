package dev.acpx.core.flow;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.Session;
import dev.acpx.api.SessionMode;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.api.flow.FlowNode;
import dev.acpx.api.flow.FlowRunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ACP turns of one run segment (a run, or a resume up to its end or next checkpoint). Persistent
 * nodes share one session per key {@code [agentCommand, agentArgv, cwd, handle]}, held in this JVM by
 * the session engine ({@link AcpxRuntime#open}); isolated nodes run one-shot through the exec engine.
 * {@link #closeAll} closes every session the segment opened, record included: the run leaves nothing open.
 */
final class AcpTurns implements AutoCloseable {
    private final AcpxRuntime runtime;
    private final RunRecorder recorder;
    private final FlowJson json;
    private final FlowRunOptions options;
    private final Path userHome;
    private final Map<String, Held> held = new LinkedHashMap<>();
    private boolean closed;

    /** A persistent session of this segment and what names it in the run store. */
    private record Held(Session session, AgentRef agent, Path cwd, String bundleId, String recordId) {}

    /** What one turn produced, for the step record and the trace. */
    record Turn(String text, String bundleId, String recordId, String sessionId, long messageStart, long messageEnd,
                Map<String, Object> binding) {}

    AcpTurns(AcpxRuntime runtime, RunRecorder recorder, FlowJson json, FlowRunOptions options, Path userHome) {
        this.runtime = runtime;
        this.recorder = recorder;
        this.json = json;
        this.options = options;
        this.userHome = userHome;
    }

    AgentRef agentOf(FlowNode.Acp node, Path cwd) {
        if (node.profile() != null && !node.profile().isBlank()) {
            return runtime.resolveAgent(node.profile(), false, cwd);
        }
        if (options.defaultAgent() == null) {
            throw AcpxException.usage("acp node has no profile and the run has no default agent;"
                    + " give the node a profile or pass --default-agent NAME");
        }
        return options.defaultAgent();
    }

    Turn run(FlowNode.Acp node, String attemptId, AgentRef agent, Path cwd, String prompt, Duration limit,
             NodeCancel cancel) {
        Collector collector = new Collector();
        if (node.isolated()) {
            String bundleId = "isolated-" + RunStore.slug(attemptId) + "-" + UUID.randomUUID().toString().substring(0, 8);
            collector.bundleId = bundleId;
            Map<String, Object> binding = binding("isolated:" + attemptId, node, agent, cwd, bundleId, null, null, null);
            recorder.run().sessionBindings.put("isolated:" + attemptId, binding);
            recorder.bindSession(bundleId, binding);
            ExecRequest request = new ExecRequest(agent, cwd, prompt, options.permissions(), limit, null, false,
                    options.access(), options.agentOptions(), null, 0);
            TurnResult result = runtime.exec(request, collector);
            binding.put("acpxRecordId", result.recordId());
            binding.put("acpSessionId", result.sessionId());
            recorder.bindSession(bundleId, binding);
            recorder.copyRecord(bundleId, recordFile(result.recordId()));
            return finish(collector, result, binding, 1);
        }
        String key = json.text(List.of(agent.command(), agent.argv() == null ? "null" : agent.argv(), cwd.toString(),
                node.handle()));
        Held h = held(key, node, agent, cwd);
        collector.bundleId = h.bundleId();
        long start = recorder.bundleSeq(h.bundleId()) + 1;
        Held session = h;
        cancel.onCancel(() -> session.session().cancel());
        TurnResult result = h.session().prompt(prompt, collector, limit);
        @SuppressWarnings("unchecked")
        Map<String, Object> binding = (Map<String, Object>) recorder.run().sessionBindings.get(key);
        if (result.sessionId() != null && !result.sessionId().equals(binding.get("acpSessionId"))) {
            binding.put("acpSessionId", result.sessionId());
            recorder.bindSession(h.bundleId(), binding);
        }
        return finish(collector, result, binding, start);
    }

    private Turn finish(Collector collector, TurnResult result, Map<String, Object> binding, long start) {
        if (result.stopReason() != null && "cancelled".equals(result.stopReason().value())) {
            throw new AcpxException(ErrorKind.INTERRUPTED, "the agent cancelled the turn");
        }
        String bundle = (String) binding.get("bundleId");
        return new Turn(collector.text().strip(), bundle, (String) binding.get("acpxRecordId"), result.sessionId(),
                start, recorder.bundleSeq(bundle), binding);
    }

    /** The segment's session for {@code key}, opened on first use; synchronized with {@link #closeAll}. */
    private synchronized Held held(String key, FlowNode.Acp node, AgentRef agent, Path cwd) {
        if (closed) {
            throw new AcpxException(ErrorKind.INTERRUPTED, "the run was interrupted");
        }
        Held h = held.get(key);
        return h != null ? h : open(key, node, agent, cwd);
    }

    private Held open(String key, FlowNode.Acp node, AgentRef agent, Path cwd) {
        RunState run = recorder.run();
        String name = run.flowName + "-" + node.handle() + "-" + RunStore.sha1Prefix(cwd.toString()) + "-"
                + run.runId.substring(Math.max(0, run.runId.length() - 8));
        SessionOptions opts = new SessionOptions(agent, cwd, SessionMode.PERSISTENT, name, options.permissions(),
                null, null, options.access(), null, options.agentOptions());
        Session session = runtime.open(opts);
        String bundleId = RunStore.slug(node.handle()) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> binding = binding(key, node, agent, cwd, bundleId, name, session.recordId(), null);
        run.sessionBindings.put(key, binding);
        recorder.bindSession(bundleId, binding);
        Held h = new Held(session, agent, cwd, bundleId, session.recordId());
        held.put(key, h);
        // Saved before the first prompt: a run killed from here on still names the session to close.
        recorder.saveProjections();
        recorder.trace("session", "session_bound", run.currentNode, run.currentAttemptId, null, null,
                Map.of("handle", node.handle(), "bundleId", bundleId, "acpxRecordId", session.recordId(), "name", name));
        return h;
    }

    private Map<String, Object> binding(String key, FlowNode.Acp node, AgentRef agent, Path cwd, String bundleId,
                                        String name, String recordId, String sessionId) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("key", key);
        b.put("handle", node.handle());
        b.put("bundleId", bundleId);
        b.put("name", name);
        b.put("profile", node.profile());
        b.put("agentName", agent.name());
        b.put("agentCommand", agent.command());
        b.put("agentArgv", agent.argv());
        b.put("cwd", cwd.toString());
        b.put("acpxRecordId", recordId);
        b.put("acpSessionId", sessionId);
        b.put("isolated", node.isolated());
        return b;
    }

    Path recordFile(String recordId) {
        return userHome.resolve(".acpx").resolve("sessions").resolve(recordId + ".json");
    }

    /**
     * Closes every persistent session of the segment: the agent's tree ends and the record says closed.
     * Returns one line per session that could not be closed (the run still ends).
     */
    synchronized List<String> closeAll() {
        closed = true;
        List<String> failures = new ArrayList<>();
        for (Held h : held.values()) {
            try {
                h.session().close();
                runtime.closeSession(h.agent(), h.cwd(), h.recordId(), "closed at the end of flow run " + recorder.run().runId);
            } catch (RuntimeException e) {
                if (!(e instanceof AcpxException a && a.kind() == ErrorKind.NO_SESSION)) {
                    failures.add("could not close session " + h.recordId() + ": " + e.getMessage());
                }
            }
            recorder.copyRecord(h.bundleId(), recordFile(h.recordId()));
        }
        held.clear();
        return failures;
    }

    @Override
    public void close() {
        closeAll();
    }

    /** Collects the answer's text and writes every raw ACP message into the bundle's events. */
    private final class Collector implements TurnListener {
        private final StringBuilder text = new StringBuilder();
        volatile String bundleId;

        @Override
        public void onEvent(TurnEvent event) {
            switch (event) {
                case TurnEvent.AgentText t -> {
                    synchronized (text) {
                        text.append(t.text());
                    }
                }
                case TurnEvent.Wire w -> {
                    if (bundleId != null) {
                        Object message;
                        try {
                            message = json.mapper().readValue(w.json(), Object.class);
                        } catch (java.io.IOException e) {
                            message = w.json();
                        }
                        recorder.sessionEvent(bundleId, w.direction() == TurnEvent.Direction.TO_AGENT ? "outbound"
                                : "inbound", message);
                    }
                }
                default -> { }
            }
        }

        @Override
        public boolean wants(Class<? extends TurnEvent> kind) {
            return kind != TurnEvent.AgentStderr.class;
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }
    }
}
