package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.TurnEvent;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.SessionUpdate;
import dev.acpx.core.protocol.ToolCallContent;
import dev.acpx.core.protocol.ToolCallLocation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns ACP {@code session/update} payloads into typed events. Tool calls arrive as a first
 * {@code tool_call} and partial {@code tool_call_update}s; this keeps each call's merged state
 * so every event carries the whole picture (title, kind, input, output) at that moment.
 */
final class UpdateTranslator {
    private final ToolSummaries summaries;
    private final Map<String, ToolState> tools = new HashMap<>();

    private final ObjectMapper mapper;

    UpdateTranslator(ObjectMapper mapper) {
        this.mapper = mapper;
        this.summaries = new ToolSummaries(mapper);
    }

    private static final class ToolState {
        String title;
        String name;
        String kind;
        String status;
        JsonNode rawInput;
        JsonNode rawOutput;
        JsonNode content;
        JsonNode locations;
    }

    /**
     * Forgets every tool call's merged state (raw input, output, content): called when a turn ends,
     * since a call never spans turns, and an agent kept for hours (TTL 0, an embedding host) must
     * not keep every tool output it ever produced.
     */
    synchronized void endTurn() {
        tools.clear();
    }

    /** Tool calls whose state is kept now (for tests of {@link #endTurn}). */
    synchronized int trackedToolCalls() {
        return tools.size();
    }

    synchronized TurnEvent translate(SessionUpdate update) {
        return switch (update) {
            case SessionUpdate.AgentMessageChunk c -> text(c.content()) == null
                    ? new TurnEvent.OtherUpdate("agent_message_chunk") : new TurnEvent.AgentText(text(c.content()));
            case SessionUpdate.AgentThoughtChunk c -> text(c.content()) == null
                    ? new TurnEvent.OtherUpdate("agent_thought_chunk") : new TurnEvent.Thought(text(c.content()));
            case SessionUpdate.UserMessageChunk c -> text(c.content()) == null
                    ? new TurnEvent.OtherUpdate("user_message_chunk") : new TurnEvent.UserText(text(c.content()));
            case SessionUpdate.ToolCall t -> tool(t.toolCallId(), titleOrName(t.title(), t.name()), t.kind(), t.status(), t.content(),
                    t.locations(), t.rawInput(), t.rawOutput(), t.name());
            case SessionUpdate.ToolCallUpdate t -> tool(t.toolCallId(), titleOrName(t.title(), t.name()), t.kind(), t.status(),
                    t.content(), t.locations(), t.rawInput(), t.rawOutput(), t.name());
            case SessionUpdate.Plan p -> new TurnEvent.Plan(p.entries() == null ? List.of() : p.entries().stream()
                    .map(e -> new TurnEvent.PlanEntry(e.content(), e.priority(), e.status())).toList());
            case SessionUpdate.CurrentModeUpdate m -> new TurnEvent.ModeChanged(m.currentModeId());
            case SessionUpdate.AvailableCommandsUpdate u -> new TurnEvent.OtherUpdate("available_commands_update");
            case SessionUpdate.ConfigOptionUpdate u -> new TurnEvent.OtherUpdate("config_option_update");
            case SessionUpdate.SessionInfoUpdate u -> SignalTranslator.info(u);
            case SessionUpdate.UsageUpdate u -> SignalTranslator.usage(u);
            case SessionUpdate.Notice n -> SignalTranslator.notice(n);
            case SessionUpdate.CompactionUpdate c -> SignalTranslator.compaction(c);
            case SessionUpdate.CompactionSummaryChunk c -> SignalTranslator.summaryChunk(c);
            case SessionUpdate.Unknown u -> new TurnEvent.OtherUpdate(u.raw().path("sessionUpdate").asText("unknown"));
        };
    }

    /** ACP 2026 tool calls carry the tool's {@code name}: shown when the agent gave no title. */
    private static String titleOrName(String title, String name) {
        return (title == null || title.isBlank()) && name != null && !name.isBlank() ? name : title;
    }

    private static String text(ContentBlock block) {
        return block instanceof ContentBlock.Text t ? t.text() : null;
    }

    private TurnEvent tool(String id, String title, String kind, String status, List<ToolCallContent> content,
                           List<ToolCallLocation> locations, JsonNode rawInput, JsonNode rawOutput, String name) {
        ToolState s = tools.computeIfAbsent(id, k -> new ToolState());
        s.name = name != null ? name : s.name;
        if (title != null && !title.isBlank()) {
            s.title = title;
        }
        s.status = status != null ? status : s.status;
        s.kind = kind != null ? kind : s.kind;
        s.rawInput = rawInput != null ? rawInput : s.rawInput;
        s.rawOutput = rawOutput != null ? rawOutput : s.rawOutput;
        s.content = content != null ? mapper.valueToTree(content) : s.content;
        s.locations = locations != null ? mapper.valueToTree(locations) : s.locations;
        String now = s.status == null ? "pending" : s.status;
        boolean fin = now.equals("completed") || now.equals("failed");
        return new TurnEvent.ToolCall(id, s.title, s.kind, now, summaries.input(s.rawInput),
                summaries.locations(s.locations), fin ? summaries.output(s.rawOutput, s.content) : null,
                ToolSummaries.readLike(s.kind, s.title), s.name);
    }

}
