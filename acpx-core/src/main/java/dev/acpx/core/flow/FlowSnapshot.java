package dev.acpx.core.flow;

import dev.acpx.api.flow.Flow;
import dev.acpx.api.flow.FlowEdge;
import dev.acpx.api.flow.FlowNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code flow.json}: the definition with its functions replaced by flags (SPEC-P2 §5.4). */
final class FlowSnapshot {
    static final String SCHEMA = "acpx.flow-definition-snapshot.v1";

    private FlowSnapshot() {}

    static Map<String, Object> of(Flow flow) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("name", flow.name());
        if (flow.title() != null) {
            m.put("run", Map.of("hasTitle", true));
        }
        if (flow.permissions() != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("requiredMode", flow.permissions().requiredMode().wireName());
            p.put("requireExplicitGrant", flow.permissions().requireExplicitGrant());
            if (flow.permissions().reason() != null) {
                p.put("reason", flow.permissions().reason());
            }
            m.put("permissions", p);
        }
        m.put("startAt", flow.startAt());
        Map<String, Object> nodes = new LinkedHashMap<>();
        flow.nodes().forEach((id, node) -> nodes.put(id, node(node)));
        m.put("nodes", nodes);
        List<Object> edges = new ArrayList<>();
        for (FlowEdge e : flow.edges()) {
            switch (e) {
                case FlowEdge.To to -> edges.add(NodeExecution.orderedMap("from", to.from(), "to", to.to()));
                case FlowEdge.Switch sw -> edges.add(NodeExecution.orderedMap("from", sw.from(),
                        "switch", NodeExecution.orderedMap("on", sw.on(), "cases", sw.cases())));
            }
        }
        m.put("edges", edges);
        return m;
    }

    private static Map<String, Object> node(FlowNode node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeType", node.nodeType());
        switch (node) {
            case FlowNode.Acp a -> {
                if (a.profile() != null) {
                    m.put("profile", a.profile());
                }
                m.put("session", NodeExecution.orderedMap("handle", a.handle(), "isolated", a.isolated()));
                m.put("cwd", a.cwd() == null ? Map.of("mode", "default") : Map.of("mode", "static", "value", a.cwd()));
                m.put("hasPrompt", true);
                m.put("hasParse", a.parse() != null);
            }
            case FlowNode.Compute c -> m.put("hasRun", true);
            case FlowNode.Action a -> {
                m.put("actionExecution", a.exec() != null ? "shell" : "function");
                m.put("hasRun", a.run() != null);
                m.put("hasExec", a.exec() != null);
                m.put("hasParse", a.parse() != null);
            }
            case FlowNode.Checkpoint c -> {
                if (c.summary() != null) {
                    m.put("summary", c.summary());
                }
                m.put("hasRun", c.run() != null);
            }
        }
        if (node.timeout() != null) {
            m.put("timeoutMs", node.timeout().toMillis());
        }
        if (node.statusDetail() != null) {
            m.put("statusDetail", node.statusDetail());
        }
        return m;
    }
}
