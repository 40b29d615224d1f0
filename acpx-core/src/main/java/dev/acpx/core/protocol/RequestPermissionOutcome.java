package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** The user's answer to a permission request, tagged by {@code outcome}. */
@JsonDeserialize(using = RequestPermissionOutcome.Deserializer.class)
public sealed interface RequestPermissionOutcome {

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"outcome"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Selected(String optionId) implements RequestPermissionOutcome {
        @JsonProperty("outcome")
        String outcome() {
            return "selected";
        }
    }

    /** The prompt turn was cancelled before the user chose. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Cancelled() implements RequestPermissionOutcome {
        @JsonProperty("outcome")
        String outcome() {
            return "cancelled";
        }
    }

    record Unknown(@JsonValue JsonNode raw) implements RequestPermissionOutcome {}

    /** Reads the union by its {@code outcome} tag. */
    final class Deserializer extends UnionDeserializer<RequestPermissionOutcome> {
        Deserializer() {
            super(RequestPermissionOutcome.class, "outcome");
        }

        @Override
        protected Class<? extends RequestPermissionOutcome> caseFor(String tag) {
            return switch (tag == null ? "" : tag) {
                case "selected" -> Selected.class;
                case "cancelled" -> Cancelled.class;
                default -> null;
            };
        }

        @Override
        protected RequestPermissionOutcome unknown(JsonNode raw) {
            return new Unknown(raw);
        }
    }
}
