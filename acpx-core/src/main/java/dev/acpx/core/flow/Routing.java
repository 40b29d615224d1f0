package dev.acpx.core.flow;

import dev.acpx.api.flow.FlowEdge;
import java.util.List;

/**
 * Picks the next node after an attempt (SPEC-P2 §5.3): a plain edge goes on only after {@code ok}; a
 * switch reads its path and looks the value's text up in its cases. A non-ok attempt goes on only along
 * a switch on {@code $result.}; otherwise the run fails with the attempt's error.
 */
final class Routing {
    private Routing() {}

    /** The run cannot go on: {@code message} is the run's error. */
    static final class Stop extends RuntimeException {
        final boolean nodeError;

        Stop(String message, boolean nodeError) {
            super(message);
            this.nodeError = nodeError;
        }
    }

    static String next(FlowEdge edge, NodeExecution.Outcome outcome, RunState run, FlowJson json) {
        boolean onResult = edge instanceof FlowEdge.Switch sw && sw.on().startsWith("$result.");
        if (!outcome.ok() && !onResult) {
            throw new Stop(outcome.error(), true);
        }
        return switch (edge) {
            case null -> null;
            case FlowEdge.To to -> to.to();
            case FlowEdge.Switch sw -> {
                Object value = value(sw.on(), outcome, run);
                String key = FlowJson.scalarText(value);
                if (value == FlowJson.MISSING || key == null) {
                    throw new Stop("Flow switch value must be scalar for " + sw.on(), false);
                }
                String target = sw.cases().get(key);
                if (target == null) {
                    throw new Stop("No flow switch case for " + sw.on() + "=" + json.text(value), false);
                }
                yield target;
            }
        };
    }

    private static Object value(String on, NodeExecution.Outcome outcome, RunState run) {
        if (on.equals("$") || on.equals("$output")) {
            return outcome.output();
        }
        for (String prefix : List.of("$.", "$output.")) {
            if (on.startsWith(prefix)) {
                return FlowJson.at(outcome.output(), FlowJson.segments(on.substring(prefix.length())));
            }
        }
        if (on.startsWith("$result.")) {
            return FlowJson.at(outcome.result(), FlowJson.segments(on.substring("$result.".length())));
        }
        if (on.startsWith("$state.")) {
            return FlowJson.at(run.state, FlowJson.segments(on.substring("$state.".length())));
        }
        if (on.startsWith("$input.")) {
            return FlowJson.at(run.input, FlowJson.segments(on.substring("$input.".length())));
        }
        throw new Stop("Unsupported JSON path: " + on, false);
    }
}
