package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** One streamed change in a session ({@code session/update}), tagged by {@code sessionUpdate}. */
@JsonDeserialize(using = SessionUpdate.Deserializer.class)
public sealed interface SessionUpdate {

    /** A chunk of the user's message (replayed by session/load). */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record UserMessageChunk(ContentBlock content, String messageId) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "user_message_chunk";
        }
    }

    /** A chunk of the agent's answer. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record AgentMessageChunk(ContentBlock content, String messageId) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "agent_message_chunk";
        }
    }

    /** A chunk of the agent's reasoning. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record AgentThoughtChunk(ContentBlock content, String messageId) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "agent_thought_chunk";
        }
    }

    /** A new tool call; kind is read, edit, delete, move, search, execute, think, fetch, switch_mode or other. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record ToolCall(String toolCallId, String title, String kind, String status, List<ToolCallContent> content,
            List<ToolCallLocation> locations, JsonNode rawInput, JsonNode rawOutput, String name)
            implements SessionUpdate {
        /** Without the ACP 2026 {@code name} (the tool's own name, beside the human title). */
        public ToolCall(String toolCallId, String title, String kind, String status, List<ToolCallContent> content,
                List<ToolCallLocation> locations, JsonNode rawInput, JsonNode rawOutput) {
            this(toolCallId, title, kind, status, content, locations, rawInput, rawOutput, null);
        }

        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "tool_call";
        }
    }

    /** Changes to a tool call; absent fields are unchanged. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record ToolCallUpdate(String toolCallId, String title, String kind, String status, List<ToolCallContent> content,
            List<ToolCallLocation> locations, JsonNode rawInput, JsonNode rawOutput, String name)
            implements SessionUpdate {
        /** Without the ACP 2026 {@code name} (the tool's own name, beside the human title). */
        public ToolCallUpdate(String toolCallId, String title, String kind, String status, List<ToolCallContent> content,
                List<ToolCallLocation> locations, JsonNode rawInput, JsonNode rawOutput) {
            this(toolCallId, title, kind, status, content, locations, rawInput, rawOutput, null);
        }

        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "tool_call_update";
        }
    }

    /** The agent's whole current plan (each update replaces the last). */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Plan(List<PlanEntry> entries) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "plan";
        }
    }

    /** The slash commands now available. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record AvailableCommandsUpdate(List<AvailableCommand> availableCommands) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "available_commands_update";
        }
    }

    /** The agent switched mode. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record CurrentModeUpdate(String currentModeId) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "current_mode_update";
        }
    }

    /** The session's config options changed; the full list. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record ConfigOptionUpdate(List<SessionConfigOption> configOptions) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "config_option_update";
        }
    }

    /** Session metadata changed. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record SessionInfoUpdate(String title, String updatedAt) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "session_info_update";
        }
    }

    /**
     * Context window usage ({@code used} of {@code size} tokens, optional {@code cost}). The token
     * counts of the turn are not in the schema; agents send them in {@code _meta.usage} or beside the
     * schema's fields, in snake or camel case (the Node acpx's compare reads both), so both are read.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record UsageUpdate(Long used, Long size, JsonNode cost,
                       @JsonProperty("input_tokens") @JsonAlias("inputTokens") Long inputTokens,
                       @JsonProperty("output_tokens") @JsonAlias("outputTokens") Long outputTokens,
                       @JsonProperty("total_tokens") @JsonAlias("totalTokens") Long totalTokens,
                       @JsonProperty("_meta") JsonNode meta) implements SessionUpdate {
        public UsageUpdate(Long used, Long size, JsonNode cost) {
            this(used, size, cost, null, null, null, null);
        }

        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "usage_update";
        }
    }

    /** A message for the user about the session (ACP 2026: {@code notice}); severity info, warning or error. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Notice(String severity, String title) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "notice";
        }
    }

    /** The agent compacts its context: in_progress, then completed, failed or cancelled. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record CompactionUpdate(String compactionId, String status, List<ContentBlock> summary, String error)
            implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "compaction_update";
        }
    }

    /** A streamed piece of a compaction's summary. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"sessionUpdate"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record CompactionSummaryChunk(String compactionId, ContentBlock content) implements SessionUpdate {
        @JsonProperty("sessionUpdate")
        String sessionUpdate() {
            return "compaction_summary_chunk";
        }
    }

    /** An update kind this version does not know; kept verbatim. */
    record Unknown(@JsonValue JsonNode raw) implements SessionUpdate {
        /** The tag, or null when there is none. */
        public String kind() {
            return raw.path("sessionUpdate").asText(null);
        }
    }

    /** Reads the union by its {@code sessionUpdate} tag. */
    final class Deserializer extends UnionDeserializer<SessionUpdate> {
        Deserializer() {
            super(SessionUpdate.class, "sessionUpdate");
        }

        @Override
        protected Class<? extends SessionUpdate> caseFor(String tag) {
            return switch (tag == null ? "" : tag) {
                case "user_message_chunk" -> UserMessageChunk.class;
                case "agent_message_chunk" -> AgentMessageChunk.class;
                case "agent_thought_chunk" -> AgentThoughtChunk.class;
                case "tool_call" -> ToolCall.class;
                case "tool_call_update" -> ToolCallUpdate.class;
                case "plan" -> Plan.class;
                case "available_commands_update" -> AvailableCommandsUpdate.class;
                case "current_mode_update" -> CurrentModeUpdate.class;
                case "config_option_update" -> ConfigOptionUpdate.class;
                case "session_info_update" -> SessionInfoUpdate.class;
                case "usage_update" -> UsageUpdate.class;
                case "notice" -> Notice.class;
                case "compaction_update" -> CompactionUpdate.class;
                case "compaction_summary_chunk" -> CompactionSummaryChunk.class;
                default -> null;
            };
        }

        @Override
        protected SessionUpdate unknown(JsonNode raw) {
            return new Unknown(raw);
        }
    }
}
