package dev.acpx.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.TurnEvent.Direction;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code --suppress-reads} for json output: the content of {@code fs/read_text_file} answers and
 * the output of read-like tool calls become {@value TextRenderer#SUPPRESSED}; every other
 * message passes through byte for byte.
 */
final class ReadSanitizer {
    private final ObjectMapper mapper;
    private final Set<String> pendingReads = new HashSet<>();
    private final Map<String, Boolean> readTools = new HashMap<>();

    ReadSanitizer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String sanitize(Direction direction, String line) {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (Exception e) {
            return line;
        }
        if (!(node instanceof ObjectNode msg)) {
            return line;
        }
        JsonNode id = msg.get("id");
        if ("fs/read_text_file".equals(msg.path("method").asText()) && id != null) {
            pendingReads.add(direction + id.toString());
            return line;
        }
        Direction requestDirection = direction == Direction.TO_AGENT ? Direction.FROM_AGENT : Direction.TO_AGENT;
        if (id != null && msg.has("result") && pendingReads.remove(requestDirection + id.toString())) {
            if (msg.get("result") instanceof ObjectNode result && result.has("content")) {
                result.put("content", TextRenderer.SUPPRESSED);
                return msg.toString();
            }
            return line;
        }
        JsonNode update = msg.path("params").path("update");
        String kind = update.path("sessionUpdate").asText();
        if ("session/update".equals(msg.path("method").asText())
                && (kind.equals("tool_call") || kind.equals("tool_call_update"))) {
            String toolId = update.path("toolCallId").asText();
            boolean readLike = readTools.getOrDefault(toolId, false)
                    || "read".equals(update.path("kind").asText())
                    || update.path("title").asText().toLowerCase().matches("^(read|cat|open|view)\\b.*");
            readTools.put(toolId, readLike);
            if (readLike && update instanceof ObjectNode u && (u.has("content") || u.has("rawOutput"))) {
                if (u.has("content")) {
                    ArrayNode content = u.putArray("content");
                    ObjectNode entry = content.addObject();
                    entry.put("type", "content");
                    entry.putObject("content").put("type", "text").put("text", TextRenderer.SUPPRESSED);
                }
                if (u.has("rawOutput")) {
                    u.put("rawOutput", TextRenderer.SUPPRESSED);
                }
                return msg.toString();
            }
        }
        return line;
    }
}
