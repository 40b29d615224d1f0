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

    private String text(String key) {
        JsonNode n = acpx.get(key);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private void put(String key, String v) {
        if (v == null) acpx.remove(key); else acpx.put(key, v);
    }
}
