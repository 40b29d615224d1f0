package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Params of {@code session/set_config_option}. A select takes a value id; a boolean option takes
 * {@code "type": "boolean"} and a JSON boolean value, as the schema requires.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SetSessionConfigOptionRequest(String sessionId, String configId, String type, JsonNode value) {

    public static SetSessionConfigOptionRequest select(String sessionId, String configId, String valueId) {
        return new SetSessionConfigOptionRequest(sessionId, configId, null, TextNode.valueOf(valueId));
    }

    public static SetSessionConfigOptionRequest bool(String sessionId, String configId, boolean value) {
        return new SetSessionConfigOptionRequest(sessionId, configId, "boolean", BooleanNode.valueOf(value));
    }
}
