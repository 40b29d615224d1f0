package dev.acpx.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mode and config choices of a session, stored where the Node acpx 0.19.1 keeps them: the
 * record's {@code acpx} object ({@code current_mode_id}, {@code desired_mode_id},
 * {@code desired_config_options} id -> value, {@code current_model_id}, and the agent's
 * {@code config_options} as sent). 0.1.15 writes an empty {@code acpx} object. A view: writes go
 * straight into the record.
 */
public final class SessionSelections {

    private final ObjectNode acpx;

    SessionSelections(ObjectNode acpx) {
        this.acpx = acpx;
    }

    /** The mode the agent last reported. */
    public String currentModeId() { return text("current_mode_id"); }
    public void setCurrentModeId(String v) { put("current_mode_id", v); }

    /** The mode the user chose (set-mode); re-applied after a reconnect. */
    public String desiredModeId() { return text("desired_mode_id"); }
    public void setDesiredModeId(String v) { put("desired_mode_id", v); }

    public String currentModelId() { return text("current_model_id"); }
    public void setCurrentModelId(String v) { put("current_model_id", v); }

    /**
     * The model chosen with {@code set model}, also where the Node acpx 0.19.1 keeps it
     * ({@code acpx.session_options.model}, reused when a reconnect must start a new session).
     */
    public void setSessionOptionModel(String model) {
        ObjectNode options = acpx.get("session_options") instanceof ObjectNode o ? o : acpx.putObject("session_options");
        options.put("model", model);
    }

    /** The record's {@code acpx.session_options} (SPEC-P2 §8), or null. */
    public JsonNode sessionOptions() {
        return acpx.get("session_options");
    }

    /** Replaces {@code acpx.session_options}; null removes it. */
    public void setSessionOptions(ObjectNode options) {
        if (options == null) {
            acpx.remove("session_options");
        } else {
            acpx.set("session_options", options);
        }
    }

    /**
     * The agent accepted {@code value} for option {@code key} ({@code model}: the option of
     * category model): the stored options say so, as the agent's answer would.
     */
    public void setOptionValue(String key, String value) {
        ArrayNode options = configOptions();
        if (options == null) {
            return;
        }
        for (JsonNode option : options) {
            boolean match = key.equals(option.path("id").asText())
                    || ("model".equals(key) && "model".equals(option.path("category").asText()));
            if (match && option instanceof ObjectNode o) {
                o.put("currentValue", value);
                return;
            }
        }
    }

    /** Config options the user set ({@code set KEY VALUE}); re-applied after a reconnect. */
    public Map<String, String> desiredConfigOptions() {
        Map<String, String> out = new LinkedHashMap<>();
        if (acpx.get("desired_config_options") instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                if (e.getValue().isTextual()) {
                    out.put(e.getKey(), e.getValue().textValue());
                }
            });
        }
        return out;
    }

    public void putDesiredConfigOption(String id, String value) {
        ObjectNode o = acpx.get("desired_config_options") instanceof ObjectNode existing
                ? existing : acpx.putObject("desired_config_options");
        o.put(id, value);
    }

    /** The agent's config options as last reported (ACP wire shape, camelCase); null if none. */
    public ArrayNode configOptions() {
        return acpx.get("config_options") instanceof ArrayNode a ? a : null;
    }

    public void setConfigOptions(ArrayNode options) {
        if (options == null) acpx.remove("config_options"); else acpx.set("config_options", options);
    }

    /**
     * The model choice as the Node acpx 0.19.1 records it beside the options: the current model,
     * the values offered and their names, and how a model is set ({@code config_option}).
     */
    public void rememberModelOption(ArrayNode options) {
        for (JsonNode option : options) {
            if (!"model".equals(option.path("category").asText()) && !"model".equals(option.path("id").asText())) {
                continue;
            }
            ObjectNode names = acpx.objectNode();
            ArrayNode values = acpx.arrayNode();
            for (JsonNode choice : option.path("options")) {
                if (choice.path("value").isTextual()) {
                    values.add(choice.get("value").textValue());
                    names.put(choice.get("value").textValue(), choice.path("name").asText(choice.get("value").textValue()));
                }
            }
            acpx.set("available_model_names", names);
            if (option.path("currentValue").isTextual()) {
                acpx.put("current_model_id", option.get("currentValue").textValue());
            }
            acpx.set("available_models", values);
            acpx.put("model_control", "config_option");
            return;
        }
    }

    private String text(String key) {
        JsonNode n = acpx.get(key);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private void put(String key, String v) {
        if (v == null) acpx.remove(key); else acpx.put(key, v);
    }
}
