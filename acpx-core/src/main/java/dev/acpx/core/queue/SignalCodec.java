package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AgentSignal;
import dev.acpx.api.TurnEvent;

/**
 * Wire form of {@link TurnEvent.Signal} on the queue socket: {@code "type":"signal"} with a
 * {@code "signal"} tag of its own. A signal tag this caller does not know becomes an
 * {@link TurnEvent.OtherUpdate} naming it, as unknown event types do.
 */
final class SignalCodec {
    static final String TYPE = "signal";

    private SignalCodec() {}

    static void encode(AgentSignal signal, ObjectNode node) {
        node.put("type", TYPE);
        switch (signal) {
            case AgentSignal.Usage u -> node.put("signal", "usage").put("used", u.used()).put("size", u.size())
                    .put("costAmount", u.costAmount()).put("costCurrency", u.costCurrency())
                    .put("inputTokens", u.inputTokens()).put("outputTokens", u.outputTokens())
                    .put("totalTokens", u.totalTokens());
            case AgentSignal.Info i -> node.put("signal", "info").put("title", i.title())
                    .put("updatedAt", i.updatedAt());
            case AgentSignal.Notice n -> node.put("signal", "notice").put("severity", n.severity())
                    .put("title", n.title());
            case AgentSignal.Compaction c -> node.put("signal", "compaction").put("compactionId", c.compactionId())
                    .put("status", c.status()).put("summary", c.summary()).put("error", c.error());
            case AgentSignal.CompactionSummary c -> node.put("signal", "compaction_summary")
                    .put("compactionId", c.compactionId()).put("text", c.text());
            case AgentSignal.Elicitation e -> node.put("signal", "elicitation").put("mode", e.mode())
                    .put("message", e.message()).put("url", e.url()).put("action", e.action());
        }
    }

    static TurnEvent decode(JsonNode node) {
        String kind = TurnEventCodec.text(node, "signal");
        AgentSignal signal = switch (kind == null ? "" : kind) {
            case "usage" -> new AgentSignal.Usage(number(node, "used"), number(node, "size"),
                    node.path("costAmount").isNumber() ? node.path("costAmount").asDouble() : null,
                    text(node, "costCurrency"), number(node, "inputTokens"), number(node, "outputTokens"),
                    number(node, "totalTokens"));
            case "info" -> new AgentSignal.Info(text(node, "title"), text(node, "updatedAt"));
            case "notice" -> new AgentSignal.Notice(text(node, "severity"), text(node, "title"));
            case "compaction" -> new AgentSignal.Compaction(text(node, "compactionId"), text(node, "status"),
                    text(node, "summary"), text(node, "error"));
            case "compaction_summary" -> new AgentSignal.CompactionSummary(text(node, "compactionId"),
                    text(node, "text"));
            case "elicitation" -> new AgentSignal.Elicitation(text(node, "mode"), text(node, "message"),
                    text(node, "url"), text(node, "action"));
            default -> null;
        };
        return signal == null ? new TurnEvent.OtherUpdate(TYPE + ":" + kind) : new TurnEvent.Signal(signal);
    }

    /** Roughly the bytes of its texts, for the outbox's accounting. */
    static long weight(AgentSignal signal) {
        return switch (signal) {
            case AgentSignal.Usage u -> 128;
            case AgentSignal.Info i -> length(i.title());
            case AgentSignal.Notice n -> length(n.title());
            case AgentSignal.Compaction c -> length(c.summary()) + length(c.error());
            case AgentSignal.CompactionSummary c -> length(c.text());
            case AgentSignal.Elicitation e -> length(e.message()) + length(e.url());
        };
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    private static String text(JsonNode node, String field) {
        return TurnEventCodec.text(node, field);
    }

    private static Long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isNumber() ? v.asLong() : null;
    }
}
