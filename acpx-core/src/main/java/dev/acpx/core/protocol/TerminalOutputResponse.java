package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Result of {@code terminal/output}; {@code exitStatus} is null while running. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TerminalOutputResponse(String output, boolean truncated, TerminalExitStatus exitStatus) {}
