package dev.acpx.api.flow;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks and texts shared by the node factories (the Node acpx's wording, so flows move across). */
final class FlowNodes {
    private static final Pattern FIELD = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private FlowNodes() {}

    static void checkTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
    }

    static String decisionField(String field, List<String> choices) {
        String key = field == null ? "route" : field;
        if (!FIELD.matcher(key).matches()) {
            throw new IllegalArgumentException("decision field must match " + FIELD.pattern() + ": " + key);
        }
        if (choices == null || choices.isEmpty()) {
            throw new IllegalArgumentException("decision choices must not be empty");
        }
        if (new HashSet<>(choices).size() != choices.size() || choices.stream().anyMatch(c -> c == null || c.isEmpty())) {
            throw new IllegalArgumentException("decision choices must be unique, non-empty strings: " + choices);
        }
        return key;
    }

    static String decisionPrompt(String question, List<String> choices, String field) {
        String alternatives = choices.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(" | "));
        return question + "\n\nReturn exactly one JSON object with this shape:\n{\n  \"" + field + "\": "
                + alternatives + ",\n  \"reason\": \"short justification\"\n}\n\n"
                + "Do not include any other text outside the JSON object.";
    }

    static Object checkDecision(Object parsed, List<String> choices, String field) {
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalStateException("Decision response must be a JSON object, got "
                    + (parsed == null ? "null" : parsed instanceof List ? "array" : parsed.getClass().getSimpleName()));
        }
        Object route = map.get(field);
        if (!(route instanceof String s) || !choices.contains(s)) {
            throw new IllegalStateException("Decision returned invalid " + field + "=\"" + route + "\"; expected one of "
                    + choices.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(", ")));
        }
        return parsed;
    }
}
