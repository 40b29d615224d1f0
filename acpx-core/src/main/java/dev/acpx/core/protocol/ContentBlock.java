package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** A piece of content in prompts, messages and tool output, tagged by {@code type}. */
@JsonDeserialize(using = ContentBlock.Deserializer.class)
public sealed interface ContentBlock {

    static ContentBlock text(String text) {
        return new Text(text, null);
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Text(String text, JsonNode annotations) implements ContentBlock {
        @JsonProperty("type")
        String type() {
            return "text";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Image(String data, String mimeType, String uri, JsonNode annotations) implements ContentBlock {
        @JsonProperty("type")
        String type() {
            return "image";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Audio(String data, String mimeType, JsonNode annotations) implements ContentBlock {
        @JsonProperty("type")
        String type() {
            return "audio";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record ResourceLink(String uri, String name, String title, String description, String mimeType, Long size,
            JsonNode annotations) implements ContentBlock {
        @JsonProperty("type")
        String type() {
            return "resource_link";
        }
    }

    /** An embedded resource; its contents carry either {@code text} or base64 {@code blob}. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Resource(ResourceContents resource, JsonNode annotations) implements ContentBlock {
        @JsonProperty("type")
        String type() {
            return "resource";
        }
    }

    /** Text or blob resource contents (schema EmbeddedResourceResource). */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ResourceContents(String uri, String mimeType, String text, String blob) {}

    /** A content type this version does not know; kept verbatim. */
    record Unknown(@JsonValue JsonNode raw) implements ContentBlock {}

    /** Reads the union by its {@code type} tag. */
    final class Deserializer extends UnionDeserializer<ContentBlock> {
        Deserializer() {
            super(ContentBlock.class, "type");
        }

        @Override
        protected Class<? extends ContentBlock> caseFor(String tag) {
            return switch (tag == null ? "" : tag) {
                case "text" -> Text.class;
                case "image" -> Image.class;
                case "audio" -> Audio.class;
                case "resource_link" -> ResourceLink.class;
                case "resource" -> Resource.class;
                default -> null;
            };
        }

        @Override
        protected ContentBlock unknown(JsonNode raw) {
            return new Unknown(raw);
        }
    }
}
