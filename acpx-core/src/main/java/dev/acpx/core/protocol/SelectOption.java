package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A value of a select config option, or a named group of values (then {@code group} and {@code options} are set). */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SelectOption(String value, String name, String description, String group, List<SelectOption> options) {}
