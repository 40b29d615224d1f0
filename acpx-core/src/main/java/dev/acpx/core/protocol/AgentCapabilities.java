package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** What the agent offers; received in {@code initialize}. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentCapabilities(boolean loadSession, PromptCapabilities promptCapabilities, McpCapabilities mcpCapabilities, SessionCapabilities sessionCapabilities) {
    /** True when the agent advertises {@code sessionCapabilities.resume}. */
    public boolean supportsResume() {
        return sessionCapabilities != null && sessionCapabilities.supportsResume();
    }
}
