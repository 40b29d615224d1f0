package dev.acpx.api.flow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one outgoing edge of a node: plain ({@code from -> to}) or a switch on a path. Paths are those of
 * the Node acpx, {@code $.a.b} or {@code $output.a.b} (the node's output) and {@code $result.outcome}
 * (its result: {@code ok}, {@code failed}, {@code timed_out}, {@code cancelled}), plus ours
 * {@code $state.x} and {@code $input.x}. The value must be a string, number or boolean; its text picks the case.
 * A node that did not end {@code ok} goes on only along a switch on {@code $result.}: that is how
 * retries and fallbacks are written.
 */
public sealed interface FlowEdge {
    String from();

    record To(String from, String to) implements FlowEdge {
        public To {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    record Switch(String from, String on, Map<String, String> cases) implements FlowEdge {
        public Switch {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(on, "on");
            cases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cases));
        }
    }

    static FlowEdge to(String from, String to) {
        return new To(from, to);
    }

    static FlowEdge switchOn(String from, String on, Map<String, String> cases) {
        return new Switch(from, on, cases);
    }

    /** The Node acpx's {@code decisionEdge}: a switch on the decision's field; every choice needs a case. */
    static FlowEdge decision(String from, List<String> choices, String field, Map<String, String> cases) {
        String key = FlowNodes.decisionField(field, choices);
        for (String choice : choices) {
            if (!cases.containsKey(choice)) {
                throw new IllegalArgumentException("decisionEdge from " + from + " has no case for choice " + choice);
            }
        }
        return new Switch(from, "$." + key, cases);
    }
}
