package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code session/list} params: both optional; {@code cwd} absolute when given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListSessionsRequest(String cwd, String cursor) {}
