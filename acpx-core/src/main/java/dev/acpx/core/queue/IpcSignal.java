package dev.acpx.core.queue;

/**
 * An agent's side signal (usage, session info, notices, compaction, elicitation) as it travels on
 * the queue socket inside an {@link IpcEvent.Signal}; the queue's own mirror of the API's
 * {@code AgentSignal}, encoded by {@link SignalCodec}.
 */
public sealed interface IpcSignal {

    record Usage(Long used, Long size, Double costAmount, String costCurrency, Long inputTokens,
                 Long outputTokens, Long totalTokens) implements IpcSignal {}

    record Info(String title, String updatedAt) implements IpcSignal {}

    record Notice(String severity, String title) implements IpcSignal {}

    record Compaction(String compactionId, String status, String summary, String error) implements IpcSignal {}

    record CompactionSummary(String compactionId, String text) implements IpcSignal {}

    record Elicitation(String mode, String message, String url, String action) implements IpcSignal {}
}
