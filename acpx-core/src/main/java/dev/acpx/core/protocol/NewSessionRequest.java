package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Params of {@code session/new}; {@code _meta} carries the session options (SPEC-P2 §8), omitted
 * when there are none.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record NewSessionRequest(String cwd, List<McpServer> mcpServers, @JsonProperty("_meta") JsonNode meta) {
    public NewSessionRequest(String cwd, List<McpServer> mcpServers) {
        this(cwd, mcpServers, null);
    }
}
