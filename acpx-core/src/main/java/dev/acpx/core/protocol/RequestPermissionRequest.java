package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Params of {@code session/request_permission}. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestPermissionRequest(String sessionId, ToolCallFields toolCall, List<PermissionOption> options) {}
