package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** Optional session methods; each present (non-null) object means supported. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionCapabilities(JsonNode list, JsonNode resume, JsonNode close, JsonNode delete) {
    public boolean supportsResume() {
        return resume != null && !resume.isNull();
    }

    public boolean supportsList() {
        return list != null && !list.isNull();
    }
}
