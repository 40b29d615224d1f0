package dev.acpx.api.flow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One step of a {@link Flow}, the four kinds of the Node acpx's {@code defineFlow}: an ACP turn, a
 * computation, an action (a Java function or a shell command) and a checkpoint that stops the run
 * until it is resumed. Values passed between steps are JSON as the JDK holds it: {@code Map<String,
 * Object>}, {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean} or {@code null}.
 *
 * <p>{@code timeout} is the limit of one attempt (null: the run's default); {@code statusDetail} a
 * line shown while the node runs (null: none).
 */
public sealed interface FlowNode {

    Duration timeout();

    String statusDetail();

    /** The node type as the Node acpx spells it ({@code acp}, {@code compute}, {@code action}, {@code checkpoint}). */
    String nodeType();

    /**
     * A prompt turn. {@code profile} names the agent (null: the run's default agent); {@code cwd} is
     * resolved against the run's cwd (null: the run's); {@code handle} names the persistent session the
     * turn runs in, shared by every acp node of the run with the same agent, cwd and handle (default
     * {@code main}); {@code isolated} runs the turn in a fresh one-shot session instead. The output is
     * {@code parse(text, ctx)} of the final answer, or the trimmed answer when {@code parse} is null.
     */
    record Acp(Function<FlowContext, String> prompt, BiFunction<String, FlowContext, Object> parse, String profile,
               String cwd, String handle, boolean isolated, Duration timeout, String statusDetail) implements FlowNode {
        public Acp {
            Objects.requireNonNull(prompt, "prompt");
            handle = handle == null || handle.isBlank() ? "main" : handle;
            FlowNodes.checkTimeout(timeout);
        }

        public Acp withParse(BiFunction<String, FlowContext, Object> parse) {
            return new Acp(prompt, parse, profile, cwd, handle, isolated, timeout, statusDetail);
        }

        public Acp withProfile(String profile) {
            return new Acp(prompt, parse, profile, cwd, handle, isolated, timeout, statusDetail);
        }

        public Acp withCwd(String cwd) {
            return new Acp(prompt, parse, profile, cwd, handle, isolated, timeout, statusDetail);
        }

        /** The persistent session this turn shares with others of the same handle. */
        public Acp withSession(String handle) {
            return new Acp(prompt, parse, profile, cwd, handle, false, timeout, statusDetail);
        }

        /** A fresh one-shot session for each attempt, closed when the attempt ends. */
        public Acp isolatedSession() {
            return new Acp(prompt, parse, profile, cwd, handle, true, timeout, statusDetail);
        }

        public Acp withTimeout(Duration timeout) {
            return new Acp(prompt, parse, profile, cwd, handle, isolated, timeout, statusDetail);
        }

        public Acp withStatusDetail(String statusDetail) {
            return new Acp(prompt, parse, profile, cwd, handle, isolated, timeout, statusDetail);
        }

        @Override
        public String nodeType() {
            return "acp";
        }
    }

    /** A deterministic step: its output is what {@code run} returns. */
    record Compute(Function<FlowContext, Object> run, Duration timeout, String statusDetail) implements FlowNode {
        public Compute {
            Objects.requireNonNull(run, "run");
            FlowNodes.checkTimeout(timeout);
        }

        public Compute withTimeout(Duration timeout) {
            return new Compute(run, timeout, statusDetail);
        }

        @Override
        public String nodeType() {
            return "compute";
        }
    }

    /**
     * A side effect: exactly one of {@code run} (a Java function; its return value is the output) and
     * {@code exec} (builds a {@link ShellSpec}; the output is {@code parse(result, ctx)} or the
     * {@link ShellResult} as JSON). A shell command that exits non-zero fails the node unless the spec
     * allows it.
     */
    record Action(Function<FlowContext, Object> run, Function<FlowContext, ShellSpec> exec,
                  BiFunction<ShellResult, FlowContext, Object> parse, Duration timeout, String statusDetail)
            implements FlowNode {
        public Action {
            if ((run == null) == (exec == null)) {
                throw new IllegalArgumentException("action nodes must define exactly one of run or exec");
            }
            if (parse != null && exec == null) {
                throw new IllegalArgumentException("action parse is only allowed with exec");
            }
            FlowNodes.checkTimeout(timeout);
        }

        public Action withParse(BiFunction<ShellResult, FlowContext, Object> parse) {
            return new Action(run, exec, parse, timeout, statusDetail);
        }

        public Action withTimeout(Duration timeout) {
            return new Action(run, exec, parse, timeout, statusDetail);
        }

        @Override
        public String nodeType() {
            return "action";
        }
    }

    /**
     * Stops the run with status {@code waiting} on this node; {@code acpx flow resume} (or
     * {@link FlowRunner#resume}) continues along its edge. Output: {@code run(ctx)} when given, else
     * {@code {checkpoint: <id>, summary: <summary or id>}}.
     */
    record Checkpoint(String summary, Function<FlowContext, Object> run, Duration timeout, String statusDetail)
            implements FlowNode {
        public Checkpoint {
            FlowNodes.checkTimeout(timeout);
        }

        @Override
        public String nodeType() {
            return "checkpoint";
        }
    }

    static Acp acp(Function<FlowContext, String> prompt) {
        return new Acp(prompt, null, null, null, null, false, null, null);
    }

    /**
     * The Node acpx's {@code decision(...)}: an acp node asking {@code question} and requiring a JSON
     * answer whose {@code field} (default {@code route}) is one of {@code choices}; pair it with
     * {@link FlowEdge#decision}.
     */
    static Acp decision(Function<FlowContext, String> question, List<String> choices, String field) {
        String key = FlowNodes.decisionField(field, choices);
        return acp(ctx -> FlowNodes.decisionPrompt(question.apply(ctx), choices, key))
                .withParse((text, ctx) -> FlowNodes.checkDecision(ctx.extractJson(text), choices, key));
    }

    static Compute compute(Function<FlowContext, Object> run) {
        return new Compute(run, null, null);
    }

    static Action action(Function<FlowContext, Object> run) {
        return new Action(run, null, null, null, null);
    }

    static Action shell(Function<FlowContext, ShellSpec> exec) {
        return new Action(null, exec, null, null, null);
    }

    static Checkpoint checkpoint(String summary) {
        return new Checkpoint(summary, null, null, null);
    }

    static Checkpoint checkpoint(String summary, Function<FlowContext, Object> run) {
        return new Checkpoint(summary, run, null, null);
    }
}
