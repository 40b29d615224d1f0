package dev.acpx.cli.output;

import dev.acpx.api.AgentSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text output's one line for each ACP 2026 signal (usage, title, notice, compaction,
 * elicitation). Everything in it comes from the agent: escapes are shown, never obeyed.
 */
final class SignalLines {
    private SignalLines() {}

    static String line(AgentSignal signal) {
        return switch (signal) {
            case AgentSignal.Usage u -> usage(u);
            case AgentSignal.Info i -> "[session] title: " + (i.title() == null ? "-" : Sanitize.line(i.title()));
            case AgentSignal.Notice n -> "[notice] " + Sanitize.line(n.severity() == null ? "info" : n.severity())
                    + ": " + Sanitize.line(n.title());
            case AgentSignal.Compaction c -> "[compaction] " + Sanitize.line(String.valueOf(c.status()))
                    + (c.error() != null ? ": " + Sanitize.line(c.error())
                    : c.summary() != null && !c.summary().isBlank() ? ": " + Sanitize.line(c.summary()) : "");
            case AgentSignal.CompactionSummary c -> "[compaction] summary: " + Sanitize.line(String.valueOf(c.text()));
            case AgentSignal.Elicitation e -> "[elicitation] " + Sanitize.line(String.valueOf(e.message())) + " ("
                    + Sanitize.line(String.valueOf(e.mode())) + ": " + Sanitize.line(String.valueOf(e.action())) + ")";
        };
    }

    private static String usage(AgentSignal.Usage u) {
        List<String> parts = new ArrayList<>();
        if (u.used() != null && u.size() != null) {
            parts.add("context " + u.used() + "/" + u.size() + " tokens");
        }
        if (u.inputTokens() != null) {
            parts.add("input " + u.inputTokens());
        }
        if (u.outputTokens() != null) {
            parts.add("output " + u.outputTokens());
        }
        if (u.totalTokens() != null) {
            parts.add("total " + u.totalTokens());
        }
        if (u.costAmount() != null) {
            parts.add("cost " + String.format(Locale.ROOT, "%.4f", u.costAmount())
                    + (u.costCurrency() == null ? "" : " " + Sanitize.line(u.costCurrency())));
        }
        return "[usage] " + (parts.isEmpty() ? "-" : String.join(", ", parts));
    }
}
