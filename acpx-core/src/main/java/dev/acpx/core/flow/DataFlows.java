package dev.acpx.core.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.acpx.api.PermissionMode;
import dev.acpx.api.flow.Flow;
import dev.acpx.api.flow.FlowContext;
import dev.acpx.api.flow.FlowEdge;
import dev.acpx.api.flow.FlowNode;
import dev.acpx.api.flow.FlowPermissions;
import dev.acpx.api.flow.ShellResult;
import dev.acpx.api.flow.ShellSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Data-file flows (JSON): the graph of {@code defineFlow} with the functions replaced by declarations,
 * so a flow needs no code (docs/FLOWS.md has the schema). Errors use the Node acpx's wording:
 * {@code Invalid flow definition: <path>: <issue>} and {@code Invalid flow node "<id>": <path>: <issue>}.
 */
final class DataFlows {
    private final FlowJson json;
    private final Templates templates;

    DataFlows(FlowJson json) {
        this.json = json;
        this.templates = new Templates(json);
    }

    Flow parse(String source, String origin) {
        Object root;
        try {
            root = json.mapper().readValue(source, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Flow file " + origin + " is not valid JSON: "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")");
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw bad("(root)", "a flow file holds one JSON object");
        }
        Map<String, Object> flow = cast(top);
        String name = string(flow, "name", null, true);
        if (name.isBlank()) {
            throw bad("name", "must not be empty");
        }
        Flow.Builder b = Flow.builder(name);
        Object title = flow.get("title");
        if (title == null && flow.get("run") instanceof Map<?, ?> run) {
            title = run.get("title");
        }
        if (title != null) {
            Object t = title;
            checkTemplate(t, "title", null);
            b.title(input -> templates.text(t, new InputOnly(input, json)));
        }
        if (flow.get("permissions") instanceof Map<?, ?> p) {
            Map<String, Object> perms = cast(p);
            String mode = string(perms, "requiredMode", null, true);
            PermissionMode required = PermissionMode.fromWire(mode).orElseThrow(() ->
                    bad("permissions.requiredMode", "must be one of " + PermissionMode.choices()));
            b.permissions(new FlowPermissions(required, Boolean.TRUE.equals(perms.get("requireExplicitGrant")),
                    string(perms, "reason", null, false)));
        } else if (flow.containsKey("permissions")) {
            throw bad("permissions", "must be an object");
        }
        if (!(flow.get("nodes") instanceof Map<?, ?> nodes) || nodes.isEmpty()) {
            throw bad("nodes", "must be a non-empty object of node id -> node");
        }
        if (flow.get("startAt") != null) {
            b.startAt(string(flow, "startAt", null, true));
        }
        for (Map.Entry<?, ?> e : nodes.entrySet()) {
            String id = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Map<?, ?> node)) {
                throw badNode(id, "(node)", "must be an object");
            }
            b.node(id, node(id, cast(node)));
        }
        Object edges = flow.getOrDefault("edges", List.of());
        if (!(edges instanceof List<?> list)) {
            throw bad("edges", "must be an array");
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> edge)) {
                throw bad("edges." + i, "must be an object");
            }
            b.edge(edge(i, cast(edge)));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (in " + origin + ")");
        }
    }

    private FlowEdge edge(int i, Map<String, Object> e) {
        String from = string(e, "from", "edges." + i, true);
        boolean hasTo = e.get("to") != null;
        boolean hasSwitch = e.get("switch") != null;
        if (hasTo == hasSwitch) {
            throw bad("edges." + i, "edge must define exactly one of to or switch");
        }
        if (hasTo) {
            return FlowEdge.to(from, string(e, "to", "edges." + i, true));
        }
        if (!(e.get("switch") instanceof Map<?, ?> sw) || !(sw.get("on") instanceof String on)
                || !(sw.get("cases") instanceof Map<?, ?> cases)) {
            throw bad("edges." + i + ".switch", "needs \"on\" (a path) and \"cases\" (value -> node id)");
        }
        Map<String, String> targets = new LinkedHashMap<>();
        cases.forEach((k, v) -> targets.put(String.valueOf(k), String.valueOf(v)));
        return FlowEdge.switchOn(from, on, targets);
    }

    private FlowNode node(String id, Map<String, Object> n) {
        String type = string(n, "nodeType", id, true);
        Duration timeout = null;
        if (n.get("timeoutMs") != null) {
            if (!(n.get("timeoutMs") instanceof Number ms) || ms.doubleValue() < 0) {
                throw badNode(id, "timeoutMs", "must be a non-negative number");
            }
            timeout = Duration.ofMillis(ms.longValue());
        }
        String detail = string(n, "statusDetail", id, false);
        return switch (type) {
            case "acp" -> acp(id, n, timeout, detail);
            case "compute" -> new FlowNode.Compute(compute(id, n), timeout, detail);
            case "action" -> action(id, n, timeout, detail);
            case "checkpoint" -> {
                Object summary = n.get("summary");
                Object output = n.get("output");
                checkTemplate(summary, "summary", id);
                checkTemplate(output, "output", id);
                yield new FlowNode.Checkpoint(summary instanceof String s ? s : null, ctx -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("checkpoint", ctx.nodeId());
                    out.put("summary", summary == null ? ctx.nodeId() : templates.text(summary, ctx));
                    if (output != null) {
                        out.put("output", templates.render(output, ctx));
                    }
                    return out;
                }, timeout, detail);
            }
            default -> throw badNode(id, "nodeType", "must be acp, compute, action or checkpoint, got \"" + type + "\"");
        };
    }

    private FlowNode acp(String id, Map<String, Object> n, Duration timeout, String detail) {
        Map<String, Object> session = n.get("session") instanceof Map<?, ?> s ? cast(s) : Map.of();
        String handle = session.get("handle") instanceof String h ? h : null;
        boolean isolated = Boolean.TRUE.equals(session.get("isolated"));
        String profile = string(n, "profile", id, false);
        String cwd = string(n, "cwd", id, false);
        FlowNode.Acp node;
        if (n.get("decision") instanceof Map<?, ?> d) {
            Map<String, Object> decision = cast(d);
            Object question = decision.get("question");
            checkTemplate(question, "decision.question", id);
            if (!(decision.get("choices") instanceof List<?> choices)) {
                throw badNode(id, "decision.choices", "must be an array of strings");
            }
            List<String> list = choices.stream().map(String::valueOf).toList();
            try {
                node = FlowNode.decision(ctx -> templates.text(question, ctx), list,
                        string(decision, "field", id, false));
            } catch (IllegalArgumentException e) {
                throw badNode(id, "decision", e.getMessage());
            }
        } else {
            Object prompt = n.get("prompt");
            if (prompt instanceof List<?> lines) {
                prompt = String.join("\n", lines.stream().map(String::valueOf).toList());
            }
            if (!(prompt instanceof String)) {
                throw badNode(id, "prompt", "prompt must be a string (a template) or an array of lines");
            }
            Object p = prompt;
            checkTemplate(p, "prompt", id);
            node = FlowNode.acp(ctx -> templates.text(p, ctx)).withParse(textParse(id, n.get("parse")));
        }
        return new FlowNode.Acp(node.prompt(), node.parse(), profile, cwd, handle, isolated, timeout, detail);
    }

    private BiFunction<String, FlowContext, Object> textParse(String id, Object parse) {
        if (parse == null || "text".equals(parse)) {
            return null;
        }
        if ("json".equals(parse)) {
            return (text, ctx) -> json.extract(text);
        }
        throw badNode(id, "parse", "must be \"text\" or \"json\"");
    }

    private java.util.function.Function<FlowContext, Object> compute(String id, Map<String, Object> n) {
        Object increment = n.get("increment");
        List<String> counters = increment == null ? List.of() : increment instanceof String s ? List.of(s)
                : increment instanceof List<?> l ? l.stream().map(String::valueOf).toList() : null;
        if (counters == null) {
            throw badNode(id, "increment", "must be a state key or an array of them");
        }
        Object set = n.get("set");
        if (set != null && !(set instanceof Map)) {
            throw badNode(id, "set", "must be an object of state key -> value (templates allowed)");
        }
        Object output = n.get("output");
        Object extract = n.get("extractJson");
        checkTemplate(set, "set", id);
        checkTemplate(output, "output", id);
        checkTemplate(extract, "extractJson", id);
        if (output != null && extract != null) {
            throw badNode(id, "output", "give output or extractJson, not both");
        }
        return ctx -> {
            Map<String, Object> changed = new LinkedHashMap<>();
            for (String key : counters) {
                Object old = ctx.state().get(key);
                long next = (old instanceof Number num ? num.longValue() : 0) + 1;
                ctx.state().put(key, next);
                changed.put(key, next);
            }
            if (set instanceof Map<?, ?> m) {
                // Rendered against the state before this node's assignments, as simultaneous assignment.
                Map<String, Object> values = new LinkedHashMap<>();
                m.forEach((k, v) -> values.put(String.valueOf(k), templates.render(v, ctx)));
                ctx.state().putAll(values);
                changed.putAll(values);
            }
            if (extract != null) {
                return json.extract(templates.text(extract, ctx));
            }
            return output != null ? templates.render(output, ctx) : changed;
        };
    }

    private FlowNode action(String id, Map<String, Object> n, Duration timeout, String detail) {
        if (!(n.get("exec") instanceof Map<?, ?> e)) {
            throw badNode(id, "exec", "a data-file action needs exec {command, args?, cwd?, env?, stdin?, shell?,"
                    + " allowNonZeroExit?, timeoutMs?}; Java actions are written with the Java API");
        }
        Map<String, Object> exec = cast(e);
        string(exec, "command", id, true);
        checkTemplate(exec, "exec", id);
        Object parse = n.getOrDefault("parse", "result");
        BiFunction<ShellResult, FlowContext, Object> parser = switch (String.valueOf(parse)) {
            case "result" -> null;
            case "text" -> (r, ctx) -> r.stdout().strip();
            case "json" -> (r, ctx) -> json.extract(r.stdout());
            default -> throw badNode(id, "parse", "must be \"result\", \"text\" or \"json\"");
        };
        return new FlowNode.Action(null, ctx -> shellSpec(id, exec, ctx), parser, timeout, detail);
    }

    private ShellSpec shellSpec(String id, Map<String, Object> exec, FlowContext ctx) {
        List<String> args = new ArrayList<>();
        if (exec.get("args") instanceof List<?> list) {
            list.forEach(a -> args.add(templates.text(a, ctx)));
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (exec.get("env") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), templates.text(v, ctx)));
        }
        Duration timeout = exec.get("timeoutMs") instanceof Number ms ? Duration.ofMillis(ms.longValue()) : null;
        long max = exec.get("maxBufferBytes") instanceof Number b ? b.longValue() : 0;
        return new ShellSpec(templates.text(exec.get("command"), ctx), args,
                exec.get("cwd") == null ? null : templates.text(exec.get("cwd"), ctx), env,
                exec.get("stdin") == null ? null : templates.text(exec.get("stdin"), ctx),
                Boolean.TRUE.equals(exec.get("shell")), Boolean.TRUE.equals(exec.get("allowNonZeroExit")), timeout, max);
    }

    private static void checkTemplate(Object template, String path, String nodeId) {
        String problem = Templates.check(template);
        if (problem != null) {
            throw nodeId == null ? bad(path, problem) : badNode(nodeId, path, problem);
        }
    }

    private static String string(Map<String, Object> m, String key, String nodeId, boolean required) {
        Object v = m.get(key);
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s)) {
            String issue = v == null ? "is required" : "must be a string";
            throw nodeId == null ? bad(key, issue) : badNode(nodeId, key, issue);
        }
        return s;
    }

    private static IllegalArgumentException bad(String path, String issue) {
        return new IllegalArgumentException("Invalid flow definition: " + path + ": " + issue);
    }

    private static IllegalArgumentException badNode(String id, String path, String issue) {
        return new IllegalArgumentException("Invalid flow node \"" + id + "\": " + path + ": " + issue);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /**
     * The context of a run title, rendered before the run exists: only the input is known, and a
     * title runs no command (a template never asks for one; a caller that does is told why).
     */
    private record InputOnly(Object input, FlowJson json) implements FlowContext {
        public String runId() { return ""; }
        public String flowName() { return ""; }
        public String nodeId() { return ""; }
        public String attemptId() { return ""; }
        public Map<String, Object> outputs() { return Map.of(); }
        public Map<String, Object> results() { return Map.of(); }
        public Map<String, Object> state() { return Map.of(); }
        public ShellResult runShell(ShellSpec spec) {
            throw new IllegalStateException("a flow's title is rendered before the run starts; it cannot run "
                    + spec.command() + " (run commands in an action node)");
        }
        public Object extractJson(String text) { return json.extract(text); }
        public boolean cancelled() { return false; }
    }
}
