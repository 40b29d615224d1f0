package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Params of {@code fs/read_text_file}; {@code line} is 1-based, {@code limit} counts lines. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReadTextFileRequest(String sessionId, String path, Integer line, Integer limit) {}
