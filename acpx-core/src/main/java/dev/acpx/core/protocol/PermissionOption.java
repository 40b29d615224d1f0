package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** One choice offered in a permission request; {@code kind} is allow_once, allow_always, reject_once or reject_always. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PermissionOption(String optionId, String name, String kind) {}
