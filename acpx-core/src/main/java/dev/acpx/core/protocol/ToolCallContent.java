package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** What a tool call produced: content, a file diff, or a live terminal; tagged by {@code type}. */
@JsonDeserialize(using = ToolCallContent.Deserializer.class)
public sealed interface ToolCallContent {

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Content(ContentBlock content) implements ToolCallContent {
        @JsonProperty("type")
        String type() {
            return "content";
        }
    }

    /** A file change; {@code oldText} is null for a new file. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Diff(String path, String oldText, String newText) implements ToolCallContent {
        @JsonProperty("type")
        String type() {
            return "diff";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Terminal(String terminalId) implements ToolCallContent {
        @JsonProperty("type")
        String type() {
            return "terminal";
        }
    }

    /** A content kind this version does not know; kept verbatim. */
    record Unknown(@JsonValue JsonNode raw) implements ToolCallContent {}

    /** Reads the union by its {@code type} tag. */
    final class Deserializer extends UnionDeserializer<ToolCallContent> {
        Deserializer() {
            super(ToolCallContent.class, "type");
        }

        @Override
        protected Class<? extends ToolCallContent> caseFor(String tag) {
            return switch (tag == null ? "" : tag) {
                case "content" -> Content.class;
                case "diff" -> Diff.class;
                case "terminal" -> Terminal.class;
                default -> null;
            };
        }

        @Override
        protected ToolCallContent unknown(JsonNode raw) {
            return new Unknown(raw);
        }
    }
}
