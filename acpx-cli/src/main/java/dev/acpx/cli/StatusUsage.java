package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code status} adds from the ACP 2026 signals kept in the record: the agent's title
 * ({@code session_info_update}) and the last usage ({@code usage_update}). Only when the agent sent
 * them, after every line and key the Node acpx prints, so its output is otherwise unchanged.
 */
final class StatusUsage {
    private StatusUsage() {}

    static void json(ObjectNode node, JsonNode record) {
        String title = LocalOutput.text(record, "title");
        if (title != null) {
            node.put("title", title);
        }
        ObjectNode usage = node.objectNode();
        JsonNode tokens = record.path("cumulative_token_usage");
        if (tokens.isObject() && !tokens.isEmpty()) {
            usage.set("tokens", tokens);
        }
        if (record.path("cumulative_cost").isObject()) {
            usage.set("cost", record.get("cumulative_cost"));
        }
        JsonNode context = record.path("acpx").path("context_usage");
        if (context.isObject()) {
            usage.set("context", context);
        }
        if (!usage.isEmpty()) {
            node.set("usage", usage);
        }
    }

    static List<String> lines(JsonNode record) {
        List<String> lines = new ArrayList<>();
        String title = LocalOutput.text(record, "title");
        if (title != null) {
            lines.add("title: " + dev.acpx.cli.output.Sanitize.line(title));
        }
        List<String> parts = new ArrayList<>();
        JsonNode context = record.path("acpx").path("context_usage");
        if (context.isObject()) {
            parts.add("context " + context.path("used").asLong() + "/" + context.path("size").asLong() + " tokens");
        }
        JsonNode tokens = record.path("cumulative_token_usage");
        for (String key : new String[] {"input_tokens", "output_tokens", "total_tokens"}) {
            if (tokens.path(key).isNumber()) {
                parts.add(key.replace("_tokens", "") + " " + tokens.get(key).asLong());
            }
        }
        JsonNode cost = record.path("cumulative_cost");
        if (cost.path("amount").isNumber()) {
            parts.add("cost " + String.format(Locale.ROOT, "%.4f", cost.get("amount").asDouble())
                    + (cost.path("currency").isTextual() ? " " + cost.get("currency").asText() : ""));
        }
        if (!parts.isEmpty()) {
            lines.add("usage: " + String.join(", ", parts));
        }
        return lines;
    }
}
