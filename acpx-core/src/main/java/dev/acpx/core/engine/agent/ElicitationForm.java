package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.PermissionPolicies;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fills an ACP form elicitation ({@code requestedSchema}: flat properties of type string, number,
 * integer, boolean or a multi-select array) by asking a person one line per field. An empty line
 * takes the field's default, or leaves an optional field out. Any answer that does not fit the
 * field (a required field left empty, a value outside the choices, not a number) ends the form:
 * the caller declines, since a wrong value sent as accepted would be worse than none.
 */
final class ElicitationForm {
    private ElicitationForm() {}

    /** Thrown when the person's answers cannot make a valid form. */
    static final class Refused extends Exception {
        Refused(String why) {
            super(why);
        }
    }

    /** The {@code content} of an accept, or throws Refused; {@code header} is shown with the first question. */
    static ObjectNode fill(JsonNode requestedSchema, String header, PermissionPolicies.Prompter person)
            throws Refused {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        JsonNode properties = requestedSchema == null ? null : requestedSchema.get("properties");
        Set<String> required = new HashSet<>();
        requestedSchema.path("required").forEach(r -> required.add(r.asText()));
        String prefix = header;
        if (properties == null || !properties.isObject() || properties.isEmpty()) {
            if (!person.confirm(prefix + "Accept? (y/N) ")) {
                throw new Refused("not accepted");
            }
            return content;
        }
        for (var field : properties.properties()) {
            String name = field.getKey();
            JsonNode schema = field.getValue();
            String line = person.answer(prefix + question(name, schema, required.contains(name)));
            prefix = "";
            if (line == null) {
                throw new Refused("no answer");
            }
            line = line.strip();
            if (line.isEmpty()) {
                JsonNode fallback = schema.get("default");
                if (fallback != null && !fallback.isNull()) {
                    content.set(name, fallback);
                } else if (required.contains(name)) {
                    throw new Refused(name + " is required");
                }
                continue;
            }
            content.set(name, value(name, schema, line));
        }
        return content;
    }

    private static String question(String name, JsonNode schema, boolean required) {
        String title = schema.path("title").asText(name);
        String type = schema.path("type").asText("string");
        List<String> choices = choices(schema);
        StringBuilder q = new StringBuilder("  ").append(title).append(" (").append(type);
        if (!choices.isEmpty()) {
            q.append(type.equals("array") ? ", comma-separated from: " : ", one of: ").append(String.join("|", choices));
        }
        if (schema.hasNonNull("default")) {
            q.append(", default ").append(schema.get("default").isTextual() ? schema.get("default").asText()
                    : schema.get("default").toString());
        }
        if (required) {
            q.append(", required");
        }
        return q.append("): ").toString();
    }

    /** The allowed values of an enum, a titled oneOf, or a multi-select's items. */
    private static List<String> choices(JsonNode schema) {
        List<String> out = new ArrayList<>();
        JsonNode source = schema.path("type").asText().equals("array") ? schema.path("items") : schema;
        source.path("enum").forEach(v -> out.add(v.asText()));
        source.path("oneOf").forEach(v -> out.add(v.path("const").asText()));
        source.path("anyOf").forEach(v -> out.add(v.path("const").asText()));
        return out;
    }

    private static JsonNode value(String name, JsonNode schema, String line) throws Refused {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<String> choices = choices(schema);
        switch (schema.path("type").asText("string")) {
            case "boolean" -> {
                return switch (line.toLowerCase(Locale.ROOT)) {
                    case "y", "yes", "true" -> f.booleanNode(true);
                    case "n", "no", "false" -> f.booleanNode(false);
                    default -> throw new Refused(name + ": answer yes or no");
                };
            }
            case "integer" -> {
                try {
                    return f.numberNode(Long.parseLong(line));
                } catch (NumberFormatException e) {
                    throw new Refused(name + ": not a whole number");
                }
            }
            case "number" -> {
                try {
                    return f.numberNode(Double.parseDouble(line));
                } catch (NumberFormatException e) {
                    throw new Refused(name + ": not a number");
                }
            }
            case "array" -> {
                var array = f.arrayNode();
                for (String part : line.split(",")) {
                    String v = part.strip();
                    if (!v.isEmpty()) {
                        if (!choices.isEmpty() && !choices.contains(v)) {
                            throw new Refused(name + ": " + v + " is not a choice");
                        }
                        array.add(v);
                    }
                }
                return array;
            }
            default -> {
                if (!choices.isEmpty() && !choices.contains(line)) {
                    throw new Refused(name + ": " + line + " is not a choice");
                }
                return f.textNode(line);
            }
        }
    }
}
