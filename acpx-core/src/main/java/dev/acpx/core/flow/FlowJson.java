package dev.acpx.core.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON as flows hold it (Map/List/String/Number/Boolean/null): the Node acpx's {@code extractJsonObject},
 * dotted paths, and the text of a switch value.
 */
final class FlowJson {
    private static final Pattern FENCE = Pattern.compile("```(?:json|JSON)?[ \\t]*\\r?\\n?(.*?)```", Pattern.DOTALL);

    private final ObjectMapper mapper;

    FlowJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** Direct JSON, else the first fenced block, else the first balanced {...} / [...] that parses. */
    Object extract(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalStateException("Expected JSON output, got empty text");
        }
        Object direct = tryParse(trimmed);
        if (direct != NONE) {
            return direct;
        }
        Matcher fence = FENCE.matcher(trimmed);
        if (fence.find()) {
            Object fenced = tryParse(fence.group(1).strip());
            if (fenced != NONE) {
                return fenced;
            }
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '{' || c == '[') {
                int end = balancedEnd(trimmed, i);
                if (end > 0) {
                    Object found = tryParse(trimmed.substring(i, end + 1));
                    if (found != NONE) {
                        return found;
                    }
                }
            }
        }
        throw new IllegalStateException("Could not parse JSON from assistant output:\n" + trimmed);
    }

    private static final Object NONE = new Object();

    private Object tryParse(String s) {
        if (s.isEmpty() || (s.charAt(0) != '{' && s.charAt(0) != '[')) {
            return NONE;
        }
        try {
            return mapper.readValue(s, Object.class);
        } catch (JsonProcessingException e) {
            return NONE;
        }
    }

    /** Index of the bracket closing the one at {@code start}, skipping strings; -1 when none. */
    private static int balancedEnd(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Marks a path that leads nowhere (distinct from a JSON null found there). */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    /** Follows dotted {@code segments} (object keys, list indexes) from {@code root}. */
    static Object at(Object root, List<String> segments) {
        Object cur = root;
        for (String seg : segments) {
            if (cur instanceof Map<?, ?> map) {
                if (!map.containsKey(seg)) {
                    return MISSING;
                }
                cur = map.get(seg);
            } else if (cur instanceof List<?> list && seg.matches("\\d+") && Integer.parseInt(seg) < list.size()) {
                cur = list.get(Integer.parseInt(seg));
            } else {
                return MISSING;
            }
        }
        return cur;
    }

    static List<String> segments(String dotted) {
        if (dotted.isEmpty()) {
            return List.of();
        }
        return List.of(dotted.split("\\.", -1));
    }

    /** A switch key as JavaScript's String(value): integral numbers without ".0". */
    static String scalarText(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b.toString();
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case java.math.BigInteger b -> b.toString();
            case Number n -> {
                BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
                yield d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
            }
            default -> null;
        };
    }

    /** Compact JSON text (for messages and templates). */
    String text(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** A deep copy through JSON, so a function cannot change a stored value behind the store's back. */
    Object copy(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        try {
            return mapper.readValue(mapper.writeValueAsBytes(value), Object.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a flow value must be JSON (maps, lists, strings, numbers,"
                    + " booleans, null): " + e.getMessage(), e);
        }
    }
}
