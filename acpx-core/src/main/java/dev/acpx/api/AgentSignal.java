package dev.acpx.api;

/**
 * What an agent tells about its session beside the answer itself: the session updates and requests
 * that became stable in ACP v1 in 2026 (schema of {@code @agentclientprotocol/sdk} 2.4.0). Each reaches
 * a listener as a {@link TurnEvent.Signal}; the text output shows each as one line.
 */
public sealed interface AgentSignal {

    /**
     * {@code usage_update}: context window use ({@code used} of {@code size} tokens), the session's
     * cost so far, and the turn's token counts when the agent sends them (not in the schema: in
     * {@code _meta.usage} or beside the schema's fields). Every field may be null.
     */
    record Usage(Long used, Long size, Double costAmount, String costCurrency,
                 Long inputTokens, Long outputTokens, Long totalTokens) implements AgentSignal {}

    /** {@code session_info_update}: the session's title (null = unchanged) and when it last changed. */
    record Info(String title, String updatedAt) implements AgentSignal {}

    /** {@code notice}: a message for the user; severity info, warning, error (or a newer one). */
    record Notice(String severity, String title) implements AgentSignal {}

    /** {@code compaction_update}: the agent compacts its context; the summary's text when it is given. */
    record Compaction(String compactionId, String status, String summary, String error) implements AgentSignal {}

    /** {@code compaction_summary_chunk}: a streamed piece of a compaction's summary. */
    record CompactionSummary(String compactionId, String text) implements AgentSignal {}

    /**
     * {@code elicitation/create}: the agent asked the user for input; {@code mode} form or url (or a
     * newer one), {@code action} what the client answered: accept, decline or cancel.
     */
    record Elicitation(String mode, String message, String url, String action) implements AgentSignal {}
}
