package dev.acpx.e2e.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Compares ours with the (adjusted) Node output of one step; empty when they agree. */
final class Verdict {
    private final ObjectMapper mapper = new ObjectMapper();

    List<String> compare(Step step, Side.Result node, Side.Result ours) {
        List<String> problems = new ArrayList<>();
        int expectedCode = step.code != null ? step.code : node.code();
        if (ours.code() != expectedCode) {
            problems.add("exit code: expected " + expectedCode + ", got " + ours.code());
        }
        String expectedErr = step.err.apply(node.err());
        if (!expectedErr.equals(ours.err())) {
            problems.add("stderr:\n--- expected\n" + expectedErr + "--- ours\n" + ours.err());
        }
        String expectedOut = step.out.apply(node.out());
        String outProblem = step.prettyJson ? jsonDocument(expectedOut, ours.out()) : lines(expectedOut, ours.out());
        if (outProblem != null) {
            problems.add("stdout: " + outProblem + "\n--- expected\n" + expectedOut + "--- ours\n" + ours.out());
        }
        return problems;
    }

    private String jsonDocument(String expected, String actual) {
        JsonNode e = parse(expected);
        JsonNode a = parse(actual);
        if (e == null || a == null) {
            return "not one JSON document";
        }
        return subset(e, a, "$");
    }

    /** Line by line; a line that is JSON in the Node output may carry extra keys in ours. */
    private String lines(String expected, String actual) {
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        if (e.size() != a.size() || expected.endsWith("\n") != actual.endsWith("\n")) {
            return expected.equals(actual) ? null : "line count or final newline differs";
        }
        for (int i = 0; i < e.size(); i++) {
            if (e.get(i).equals(a.get(i))) {
                continue;
            }
            JsonNode ej = e.get(i).startsWith("{") || e.get(i).startsWith("[") ? parse(e.get(i)) : null;
            JsonNode aj = ej == null ? null : parse(a.get(i));
            if (ej == null || aj == null) {
                return "line " + (i + 1) + " differs";
            }
            String problem = subset(ej, aj, "line " + (i + 1) + " $");
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private JsonNode parse(String text) {
        try {
            return mapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /** Every key of {@code e} is in {@code a} with a matching value; arrays match element for element. */
    private static String subset(JsonNode e, JsonNode a, String path) {
        if (e.isObject()) {
            if (!a.isObject()) {
                return path + ": expected an object";
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = e.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!a.has(entry.getKey())) {
                    return path + "." + entry.getKey() + ": missing";
                }
                String p = subset(entry.getValue(), a.get(entry.getKey()), path + "." + entry.getKey());
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        if (e.isArray()) {
            if (!a.isArray() || a.size() != e.size()) {
                return path + ": expected an array of " + e.size();
            }
            for (int i = 0; i < e.size(); i++) {
                String p = subset(e.get(i), a.get(i), path + "[" + i + "]");
                if (p != null) {
                    return p;
                }
            }
            return null;
        }
        return e.equals(a) ? null : path + ": expected " + e + ", got " + a;
    }
}
