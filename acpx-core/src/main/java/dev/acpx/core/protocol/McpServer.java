package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** An MCP server handed to the agent; stdio has no {@code type} tag, http and sse do. */
@JsonDeserialize(using = McpServer.Deserializer.class)
public sealed interface McpServer {

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Stdio(String name, String command, List<String> args, List<EnvVariable> env) implements McpServer {}

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Http(String name, String url, List<HttpHeader> headers) implements McpServer {
        @JsonProperty("type")
        String type() {
            return "http";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Sse(String name, String url, List<HttpHeader> headers) implements McpServer {
        @JsonProperty("type")
        String type() {
            return "sse";
        }
    }

    record Unknown(@JsonValue JsonNode raw) implements McpServer {}

    /** Reads the union; a missing tag means stdio. */
    final class Deserializer extends UnionDeserializer<McpServer> {
        Deserializer() {
            super(McpServer.class, "type");
        }

        @Override
        protected Class<? extends McpServer> caseFor(String tag) {
            if (tag == null) {
                return Stdio.class;
            }
            return switch (tag) {
                case "http" -> Http.class;
                case "sse" -> Sse.class;
                default -> null;
            };
        }

        @Override
        protected McpServer unknown(JsonNode raw) {
            return new Unknown(raw);
        }
    }
}
