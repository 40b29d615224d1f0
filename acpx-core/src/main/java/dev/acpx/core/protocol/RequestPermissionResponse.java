package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** Result of {@code session/request_permission}; {@code _meta} carries acpx's permission escalation. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestPermissionResponse(RequestPermissionOutcome outcome, @JsonProperty("_meta") JsonNode meta) {
    public RequestPermissionResponse(RequestPermissionOutcome outcome) {
        this(outcome, null);
    }
}
