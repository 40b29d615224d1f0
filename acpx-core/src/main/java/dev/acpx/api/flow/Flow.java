package dev.acpx.api.flow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A flow: named nodes, a start node and at most one outgoing edge per node (the Node acpx's
 * {@code defineFlow}). Built with {@link #builder}; the graph is checked when built, with the Node
 * acpx's messages.
 *
 * <pre>{@code
 * Flow flow = Flow.builder("hello")
 *         .node("ask", FlowNode.acp(ctx -> "Say hello to " + ((Map<?, ?>) ctx.input()).get("who")))
 *         .node("done", FlowNode.compute(ctx -> Map.of("answer", ctx.outputs().get("ask"))))
 *         .edge(FlowEdge.to("ask", "done"))
 *         .build();
 * }</pre>
 *
 * @param title the run's title from its input, or null
 * @param permissions what the run needs before it starts, or null
 */
public record Flow(String name, Function<Object, String> title, FlowPermissions permissions, String startAt,
                   Map<String, FlowNode> nodes, List<FlowEdge> edges) {

    public Flow {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Invalid flow definition: name: must not be empty");
        }
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        edges = List.copyOf(edges);
        if (startAt == null || !nodes.containsKey(startAt)) {
            throw new IllegalArgumentException("Flow start node is missing: " + startAt);
        }
        Set<String> withEdge = new HashSet<>();
        for (FlowEdge edge : edges) {
            if (!nodes.containsKey(edge.from())) {
                throw new IllegalArgumentException("Flow edge references unknown from-node: " + edge.from());
            }
            if (!withEdge.add(edge.from())) {
                throw new IllegalArgumentException("Flow node must not declare multiple outgoing edges: " + edge.from());
            }
            switch (edge) {
                case FlowEdge.To to -> {
                    if (!nodes.containsKey(to.to())) {
                        throw new IllegalArgumentException("Flow edge references unknown to-node: " + to.to());
                    }
                }
                case FlowEdge.Switch sw -> {
                    for (String target : sw.cases().values()) {
                        if (!nodes.containsKey(target)) {
                            throw new IllegalArgumentException("Flow switch references unknown to-node: " + target);
                        }
                    }
                }
            }
        }
    }

    /** The edge leaving {@code nodeId}, or null when the run ends after it. */
    public FlowEdge edgeFrom(String nodeId) {
        for (FlowEdge edge : edges) {
            if (edge.from().equals(nodeId)) {
                return edge;
            }
        }
        return null;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Collects nodes and edges; the first node added is the start unless {@link #startAt} says otherwise. */
    public static final class Builder {
        private final String name;
        private Function<Object, String> title;
        private FlowPermissions permissions;
        private String startAt;
        private final Map<String, FlowNode> nodes = new LinkedHashMap<>();
        private final List<FlowEdge> edges = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder title(Function<Object, String> title) {
            this.title = title;
            return this;
        }

        public Builder permissions(FlowPermissions permissions) {
            this.permissions = permissions;
            return this;
        }

        public Builder startAt(String nodeId) {
            this.startAt = nodeId;
            return this;
        }

        public Builder node(String id, FlowNode node) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("Invalid flow definition: nodes: node id must not be empty");
            }
            if (nodes.putIfAbsent(id, Objects.requireNonNull(node, "node")) != null) {
                throw new IllegalArgumentException("Invalid flow definition: nodes: duplicate node id " + id);
            }
            if (startAt == null) {
                startAt = id;
            }
            return this;
        }

        public Builder edge(FlowEdge edge) {
            edges.add(Objects.requireNonNull(edge, "edge"));
            return this;
        }

        public Flow build() {
            return new Flow(name, title, permissions, startAt, nodes, edges);
        }
    }
}
