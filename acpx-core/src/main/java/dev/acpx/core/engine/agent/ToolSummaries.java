package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a tool call's free-form JSON (raw input, raw output, content) into the short texts a
 * human reads: the same choices of fields the Node acpx makes, so the text output matches.
 */
final class ToolSummaries {
    /**
     * JSON laid out as JavaScript's {@code JSON.stringify(value, null, 2)} (the Node acpx shows a tool's
     * raw output so): {@code "key": value}, two spaces, {@code {}} and {@code []} when empty. A template:
     * every write takes its own copy, so nothing shared changes.
     */
    private static final com.fasterxml.jackson.core.util.DefaultPrettyPrinter JS_LAYOUT = jsLayout();

    private static com.fasterxml.jackson.core.util.DefaultPrettyPrinter jsLayout() {
        var indenter = new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n");
        var separators = com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER)
                .withObjectEmptySeparator("").withArrayEmptySeparator("");
        return new com.fasterxml.jackson.core.util.DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    private static final int MAX_INLINE = 220;
    private static final String[] COMMAND_KEYS = {"command", "cmd", "program"};
    private static final String[] ARGS_KEYS = {"args", "arguments"};
    private static final String[] LOCATION_KEYS = {"path", "file", "filePath", "filepath", "target", "uri", "url"};
    private static final String[] QUERY_KEYS = {"query", "pattern", "text", "search"};
    private static final String[] OUTPUT_KEYS = {"stdout", "stderr", "output", "content", "text", "message",
            "result", "response", "value"};

    private final ObjectMapper mapper;

    ToolSummaries(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String input(JsonNode raw) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) {
            return null;
        }
        if (raw.isValueNode()) {
            return inline(raw.asText());
        }
        if (raw.isObject()) {
            String command = firstString(raw, COMMAND_KEYS);
            if (command != null) {
                StringBuilder sb = new StringBuilder(command);
                for (String key : ARGS_KEYS) {
                    if (raw.get(key) instanceof com.fasterxml.jackson.databind.node.ArrayNode args) {
                        args.forEach(a -> sb.append(' ').append(a.asText()));
                        break;
                    }
                }
                return inline(sb.toString());
            }
            String location = firstString(raw, LOCATION_KEYS);
            String query = firstString(raw, QUERY_KEYS);
            if (location != null || query != null) {
                return inline(location != null ? location : query);
            }
        }
        return inline(raw.toString());
    }

    String output(JsonNode rawOutput, JsonNode content) {
        Set<String> parts = new LinkedHashSet<>();
        String raw = extract(rawOutput, 0);
        if (raw != null && !raw.isBlank()) {
            parts.add(raw.strip());
        }
        String fromContent = content(content);
        if (fromContent != null && !fromContent.isBlank()) {
            parts.add(fromContent.strip());
        }
        return parts.isEmpty() ? null : String.join("\n\n", parts);
    }

    List<String> locations(JsonNode locations) {
        List<String> out = new ArrayList<>();
        if (locations != null && locations.isArray()) {
            for (JsonNode l : locations) {
                String path = l.path("path").asText("").strip();
                if (!path.isEmpty()) {
                    String line = l.path("line").isNumber() ? ":" + Math.max(1, l.path("line").asInt()) : "";
                    if (!out.contains(path + line)) {
                        out.add(path + line);
                    }
                }
            }
        }
        if (out.size() > 5) {
            int hidden = out.size() - 5;
            List<String> shown = new ArrayList<>(out.subList(0, 5));
            shown.add("+" + hidden + " more");
            return shown;
        }
        return out;
    }

    private String content(JsonNode content) {
        if (content == null || !content.isArray()) {
            return null;
        }
        Set<String> parts = new LinkedHashSet<>();
        for (JsonNode entry : content) {
            String text = switch (entry.path("type").asText()) {
                case "content" -> blockText(entry.path("content"));
                case "diff" -> diff(entry);
                case "terminal" -> "[terminal] " + entry.path("terminalId").asText();
                default -> null;
            };
            if (text != null && !text.isBlank()) {
                parts.add(text.strip());
            }
        }
        return parts.isEmpty() ? null : String.join("\n\n", parts);
    }

    private static String blockText(JsonNode block) {
        return switch (block.path("type").asText()) {
            case "text" -> block.path("text").asText();
            case "resource_link" -> firstString(block, new String[] {"title", "name", "uri"});
            case "resource" -> block.path("resource").has("text") ? block.path("resource").path("text").asText()
                    : "[resource] " + block.path("resource").path("uri").asText();
            case "image" -> "[image] " + block.path("mimeType").asText();
            case "audio" -> "[audio] " + block.path("mimeType").asText();
            default -> null;
        };
    }

    private static String diff(JsonNode entry) {
        String path = entry.path("path").asText();
        String oldText = entry.path("oldText").isTextual() ? entry.path("oldText").asText() : null;
        int oldLines = oldText == null || oldText.isEmpty() ? 0 : oldText.split("\n", -1).length;
        int delta = entry.path("newText").asText("").split("\n", -1).length - oldLines;
        return delta == 0 ? "diff " + path + " (line count unchanged)"
                : "diff " + path + " (" + (delta > 0 ? "+" : "") + delta + " lines)";
    }

    private String extract(JsonNode value, int depth) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isTextual()) {
            String s = value.asText().stripTrailing();
            return s.isEmpty() ? null : s;
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        if (depth >= 4) {
            return null;
        }
        if (value.isArray()) {
            Set<String> parts = new LinkedHashSet<>();
            value.forEach(v -> {
                String s = extract(v, depth + 1);
                if (s != null) {
                    parts.add(s);
                }
            });
            return parts.isEmpty() ? null : String.join("\n", parts);
        }
        Set<String> preferred = new LinkedHashSet<>();
        for (String key : OUTPUT_KEYS) {
            if (value.has(key)) {
                String s = extract(value.get(key), depth + 1);
                if (s != null) {
                    preferred.add(s);
                }
            }
        }
        if (!preferred.isEmpty()) {
            return String.join("\n", preferred);
        }
        try {
            String json = mapper.writer(JS_LAYOUT).writeValueAsString(value);
            return json.equals("{ }") || json.equals("{}") ? null : json;
        } catch (Exception e) {
            return null;
        }
    }

    private static String firstString(JsonNode node, String[] keys) {
        for (String key : keys) {
            JsonNode v = node.get(key);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText().strip();
            }
        }
        return null;
    }

    private static String inline(String value) {
        String collapsed = value.replaceAll("\\s+", " ").strip();
        return collapsed.length() <= MAX_INLINE ? collapsed : collapsed.substring(0, MAX_INLINE - 3) + "...";
    }

    /** A tool whose output is file content: kind read, or a title that starts like a read. */
    static boolean readLike(String kind, String title) {
        if ("read".equals(kind)) {
            return true;
        }
        if (title == null) {
            return false;
        }
        String head = title.strip().toLowerCase().split("[:\\s]", 2)[0];
        return head.equals("read") || head.equals("cat") || head.equals("open") || head.equals("view");
    }
}
