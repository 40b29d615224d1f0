package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Wire form of {@link IpcEvent.Signal} on the queue socket: {@code "type":"signal"} with a
 * {@code "signal"} tag of its own. A signal tag this caller does not know becomes an
 * {@link IpcEvent.OtherUpdate} naming it, as unknown event types do.
 */
final class SignalCodec {
    static final String TYPE = "signal";

    private SignalCodec() {}

    static void encode(IpcSignal signal, ObjectNode node) {
        node.put("type", TYPE);
        switch (signal) {
            case IpcSignal.Usage u -> node.put("signal", "usage").put("used", u.used()).put("size", u.size())
                    .put("costAmount", u.costAmount()).put("costCurrency", u.costCurrency())
                    .put("inputTokens", u.inputTokens()).put("outputTokens", u.outputTokens())
                    .put("totalTokens", u.totalTokens());
            case IpcSignal.Info i -> node.put("signal", "info").put("title", i.title())
                    .put("updatedAt", i.updatedAt());
            case IpcSignal.Notice n -> node.put("signal", "notice").put("severity", n.severity())
                    .put("title", n.title());
            case IpcSignal.Compaction c -> node.put("signal", "compaction").put("compactionId", c.compactionId())
                    .put("status", c.status()).put("summary", c.summary()).put("error", c.error());
            case IpcSignal.CompactionSummary c -> node.put("signal", "compaction_summary")
                    .put("compactionId", c.compactionId()).put("text", c.text());
            case IpcSignal.Elicitation e -> node.put("signal", "elicitation").put("mode", e.mode())
                    .put("message", e.message()).put("url", e.url()).put("action", e.action());
        }
    }

    static IpcEvent decode(JsonNode node) {
        String kind = IpcEventCodec.text(node, "signal");
        IpcSignal signal = switch (kind == null ? "" : kind) {
            case "usage" -> new IpcSignal.Usage(number(node, "used"), number(node, "size"),
                    node.path("costAmount").isNumber() ? node.path("costAmount").asDouble() : null,
                    text(node, "costCurrency"), number(node, "inputTokens"), number(node, "outputTokens"),
                    number(node, "totalTokens"));
            case "info" -> new IpcSignal.Info(text(node, "title"), text(node, "updatedAt"));
            case "notice" -> new IpcSignal.Notice(text(node, "severity"), text(node, "title"));
            case "compaction" -> new IpcSignal.Compaction(text(node, "compactionId"), text(node, "status"),
                    text(node, "summary"), text(node, "error"));
            case "compaction_summary" -> new IpcSignal.CompactionSummary(text(node, "compactionId"),
                    text(node, "text"));
            case "elicitation" -> new IpcSignal.Elicitation(text(node, "mode"), text(node, "message"),
                    text(node, "url"), text(node, "action"));
            default -> null;
        };
        return signal == null ? new IpcEvent.OtherUpdate(TYPE + ":" + kind) : new IpcEvent.Signal(signal);
    }

    /** Roughly the bytes of its texts, for the outbox's accounting. */
    static long weight(IpcSignal signal) {
        return switch (signal) {
            case IpcSignal.Usage u -> 128;
            case IpcSignal.Info i -> length(i.title());
            case IpcSignal.Notice n -> length(n.title());
            case IpcSignal.Compaction c -> length(c.summary()) + length(c.error());
            case IpcSignal.CompactionSummary c -> length(c.text());
            case IpcSignal.Elicitation e -> length(e.message()) + length(e.url());
        };
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    private static String text(JsonNode node, String field) {
        return IpcEventCodec.text(node, field);
    }

    private static Long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isNumber() ? v.asLong() : null;
    }
}
