package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.List;

/**
 * A session setting the agent exposes (model, mode, thought level...), tagged by {@code type}.
 * {@code category} is mode, model, model_config, thought_level or any other string.
 */
@JsonDeserialize(using = SessionConfigOption.Deserializer.class)
public sealed interface SessionConfigOption {

    String id();

    String name();

    String category();

    /** Pick one value out of a list (possibly grouped). */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"id", "name", "description", "category", "type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Select(String id, String name, String description, String category, String currentValue,
            List<SelectOption> options) implements SessionConfigOption {
        @JsonProperty("type")
        String type() {
            return "select";
        }

        /** Every selectable value, with groups flattened. */
        public List<SelectOption> values() {
            List<SelectOption> out = new ArrayList<>();
            if (options != null) {
                for (SelectOption o : options) {
                    if (o.options() != null) {
                        out.addAll(o.options());
                    } else {
                        out.add(o);
                    }
                }
            }
            return out;
        }
    }

    /** An on/off switch. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"id", "name", "description", "category", "type"})
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record BooleanOption(String id, String name, String description, String category, boolean currentValue)
            implements SessionConfigOption {
        @JsonProperty("type")
        String type() {
            return "boolean";
        }
    }

    /** An option type this version does not know; kept verbatim, still named. */
    record Unknown(@JsonValue JsonNode raw) implements SessionConfigOption {
        @Override
        public String id() {
            return raw.path("id").asText(null);
        }

        @Override
        public String name() {
            return raw.path("name").asText(null);
        }

        @Override
        public String category() {
            return raw.path("category").asText(null);
        }
    }

    /** Reads the union by its {@code type} tag. */
    final class Deserializer extends UnionDeserializer<SessionConfigOption> {
        Deserializer() {
            super(SessionConfigOption.class, "type");
        }

        @Override
        protected Class<? extends SessionConfigOption> caseFor(String tag) {
            return switch (tag == null ? "" : tag) {
                case "select" -> Select.class;
                case "boolean" -> BooleanOption.class;
                default -> null;
            };
        }

        @Override
        protected SessionConfigOption unknown(JsonNode raw) {
            return new Unknown(raw);
        }
    }
}
