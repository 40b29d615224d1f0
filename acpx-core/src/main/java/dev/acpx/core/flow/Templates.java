package dev.acpx.core.flow;

import dev.acpx.api.flow.FlowContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Templating of data-file flows: {@code {{input.a}}}, {@code {{outputs.node.x}}}, {@code {{results.node.outcome}}},
 * {@code {{state.x}}}, {@code {{run.id}}}, {@code {{run.flowName}}}, {@code {{node.id}}}, {@code {{node.attemptId}}}.
 * A string that is one placeholder and nothing else yields the value itself (a number stays a number);
 * inside text a string is inserted as is and any other value as compact JSON ({@code | json} forces JSON);
 * a path that leads nowhere inserts nothing. Objects and arrays are templated value by value, except
 * {@code {"$switch": "<template>", "cases": {"<text>": value...}, "default": value}}, which becomes the
 * case named by the rendered value's text (else the default, else null).
 */
final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_$][A-Za-z0-9_.$-]*)\\s*(\\|\\s*json\\s*)?}}");

    private final FlowJson json;

    Templates(FlowJson json) {
        this.json = json;
    }

    /** Checks every placeholder names a known root; returns the problem or null. */
    static String check(Object template) {
        switch (template) {
            case String s -> {
                Matcher m = PLACEHOLDER.matcher(s);
                while (m.find()) {
                    String root = m.group(1).split("\\.", 2)[0];
                    if (!List.of("input", "outputs", "results", "state", "run", "node").contains(root)) {
                        return "unknown template root \"" + root + "\" in {{" + m.group(1)
                                + "}}; use input, outputs, results, state, run or node";
                    }
                }
                return null;
            }
            case Map<?, ?> map -> {
                for (Object v : map.values()) {
                    String p = check(v);
                    if (p != null) {
                        return p;
                    }
                }
                return null;
            }
            case List<?> list -> {
                for (Object v : list) {
                    String p = check(v);
                    if (p != null) {
                        return p;
                    }
                }
                return null;
            }
            case null, default -> {
                return null;
            }
        }
    }

    Object render(Object template, FlowContext ctx) {
        return switch (template) {
            case String s -> renderString(s, ctx);
            case Map<?, ?> map when map.containsKey("$switch") -> {
                // A switch on a value: {"$switch": "{{state.n}}", "cases": {"1": ...}, "default": ...}
                String key = FlowJson.scalarText(render(map.get("$switch"), ctx));
                Object cases = map.get("cases");
                yield cases instanceof Map<?, ?> c && key != null && c.containsKey(key) ? render(c.get(key), ctx)
                        : render(map.get("default"), ctx);
            }
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), render(v, ctx)));
                yield out;
            }
            case List<?> list -> {
                List<Object> out = new ArrayList<>();
                list.forEach(v -> out.add(render(v, ctx)));
                yield out;
            }
            case null, default -> template;
        };
    }

    /** A template that must give text (prompts, commands). */
    String text(Object template, FlowContext ctx) {
        Object v = render(template, ctx);
        return v instanceof String s ? s : v == null ? "" : json.text(v);
    }

    private Object renderString(String s, FlowContext ctx) {
        Matcher whole = PLACEHOLDER.matcher(s);
        if (whole.matches() && whole.group(2) == null) {
            Object v = lookup(whole.group(1), ctx);
            return v == FlowJson.MISSING ? null : v;
        }
        Matcher m = PLACEHOLDER.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = lookup(m.group(1), ctx);
            String text = v == FlowJson.MISSING ? "" : m.group(2) != null || !(v instanceof String) ? json.text(v) : (String) v;
            m.appendReplacement(sb, Matcher.quoteReplacement(text));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static Object lookup(String path, FlowContext ctx) {
        List<String> seg = FlowJson.segments(path);
        List<String> rest = seg.subList(1, seg.size());
        return switch (seg.get(0)) {
            case "input" -> FlowJson.at(ctx.input(), rest);
            case "outputs" -> FlowJson.at(ctx.outputs(), rest);
            case "results" -> FlowJson.at(ctx.results(), rest);
            case "state" -> FlowJson.at(ctx.state(), rest);
            case "run" -> FlowJson.at(Map.of("id", ctx.runId(), "flowName", ctx.flowName()), rest);
            case "node" -> FlowJson.at(Map.of("id", ctx.nodeId(), "attemptId", ctx.attemptId()), rest);
            default -> FlowJson.MISSING;
        };
    }
}
