package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Params of {@code terminal/create}. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateTerminalRequest(String sessionId, String command, List<String> args, List<EnvVariable> env, String cwd, Long outputByteLimit) {}
