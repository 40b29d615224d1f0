package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acpx.api.AgentSignal;
import dev.acpx.api.TurnEvent;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.SessionUpdate;
import java.util.List;

/** The ACP 2026 session updates as {@link AgentSignal}s (kept apart from the older kinds' translation). */
final class SignalTranslator {
    private SignalTranslator() {}

    static TurnEvent usage(SessionUpdate.UsageUpdate u) {
        JsonNode cost = u.cost();
        Double amount = cost != null && cost.path("amount").isNumber() ? cost.path("amount").asDouble() : null;
        String currency = cost != null && cost.path("currency").isTextual() ? cost.path("currency").asText() : null;
        // As the Node acpx's compare: _meta.usage when present, else the update's own fields.
        JsonNode metaUsage = u.meta() == null ? null : u.meta().get("usage");
        Long in;
        Long out;
        Long total;
        if (metaUsage != null && metaUsage.isObject()) {
            in = number(metaUsage, "input_tokens", "inputTokens");
            out = number(metaUsage, "output_tokens", "outputTokens");
            total = number(metaUsage, "total_tokens", "totalTokens");
        } else {
            in = u.inputTokens();
            out = u.outputTokens();
            total = u.totalTokens();
        }
        return new TurnEvent.Signal(new AgentSignal.Usage(u.used(), u.size(), amount, currency, in, out, total));
    }

    static TurnEvent info(SessionUpdate.SessionInfoUpdate u) {
        return new TurnEvent.Signal(new AgentSignal.Info(u.title(), u.updatedAt()));
    }

    static TurnEvent notice(SessionUpdate.Notice n) {
        return new TurnEvent.Signal(new AgentSignal.Notice(n.severity(), n.title()));
    }

    static TurnEvent compaction(SessionUpdate.CompactionUpdate c) {
        return new TurnEvent.Signal(new AgentSignal.Compaction(c.compactionId(), c.status(), texts(c.summary()),
                c.error()));
    }

    static TurnEvent summaryChunk(SessionUpdate.CompactionSummaryChunk c) {
        return new TurnEvent.Signal(new AgentSignal.CompactionSummary(c.compactionId(), text(c.content())));
    }

    private static String texts(List<ContentBlock> blocks) {
        if (blocks == null) {
            return null;
        }
        StringBuilder all = new StringBuilder();
        blocks.forEach(b -> {
            String t = text(b);
            if (t != null) {
                all.append(t);
            }
        });
        return all.toString();
    }

    private static String text(ContentBlock block) {
        return block instanceof ContentBlock.Text t ? t.text() : null;
    }

    private static Long number(JsonNode node, String... keys) {
        for (String key : keys) {
            JsonNode v = node.get(key);
            if (v != null && v.isNumber()) {
                return v.asLong();
            }
        }
        return null;
    }
}
