package dev.acpx.core.engine.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AgentSignal;
import dev.acpx.api.TurnEvent;
import dev.acpx.core.session.SessionRecord;

/**
 * What a turn's ACP 2026 signals leave in the session record, in the Node acpx 0.19.1's keys:
 * {@code session_info_update}'s title as {@code title}, the last {@code usage_update}'s token
 * counts as {@code cumulative_token_usage} and its cost as {@code cumulative_cost}. Only the
 * latest of each is kept (one turn's worth); fields the agent did not send are left as they were.
 */
final class SignalRecorder {
    private boolean titleSeen;
    private String title;
    private AgentSignal.Usage usage;

    synchronized void observe(TurnEvent event) {
        if (!(event instanceof TurnEvent.Signal s)) {
            return;
        }
        switch (s.signal()) {
            case AgentSignal.Info i -> {
                titleSeen = true;
                title = i.title();
            }
            case AgentSignal.Usage u -> usage = u;
            default -> { }
        }
    }

    /** Writes what was observed into {@code record} (the caller holds the record's lock). */
    synchronized void applyTo(SessionRecord record) {
        ObjectNode json = record.json();
        if (titleSeen) {
            if (title == null) {
                json.putNull("title");
            } else {
                json.put("title", title);
            }
        }
        if (usage == null) {
            return;
        }
        if (usage.inputTokens() != null || usage.outputTokens() != null || usage.totalTokens() != null) {
            ObjectNode tokens = json.objectNode();
            putIf(tokens, "input_tokens", usage.inputTokens());
            putIf(tokens, "output_tokens", usage.outputTokens());
            putIf(tokens, "total_tokens", usage.totalTokens());
            json.set("cumulative_token_usage", tokens);
        }
        if (usage.costAmount() != null) {
            ObjectNode cost = json.putObject("cumulative_cost").put("amount", usage.costAmount());
            if (usage.costCurrency() != null) {
                cost.put("currency", usage.costCurrency());
            }
        }
        if (usage.used() != null && usage.size() != null) {
            // Ours: the context window as last reported (the Node acpx keeps no such key).
            json.with("acpx").putObject("context_usage").put("used", usage.used()).put("size", usage.size());
        }
    }

    private static void putIf(ObjectNode node, String key, Long value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
