package dev.acpx.core.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;

/**
 * The document {@code config show} prints, shaped like the Node acpx's (same keys, same order),
 * plus {@code maxConcurrentSessions}. Credentials never appear: only the sorted method ids
 * ({@code authMethods}).
 */
public final class ConfigView {
    private ConfigView() {
    }

    public static ObjectNode show(ConfigLayers layers, ObjectMapper mapper) {
        AcpxConfig config = layers.merged();
        ObjectNode out = mapper.createObjectNode();
        out.put("defaultAgent", config.defaultAgent());
        out.put("defaultPermissions", config.defaultPermissions().wireName());
        out.put("nonInteractivePermissions", config.nonInteractivePermissions().wireName());
        out.put("authPolicy", config.authPolicy().wireName());
        putSeconds(out, "ttl", config.ttl());
        putSeconds(out, "timeout", config.timeout());
        out.put("queueMaxDepth", config.queueMaxDepth());
        out.put("format", config.format().wireName());
        ObjectNode agents = out.putObject("agents");
        for (Map.Entry<String, AgentDefinition> entry : config.agents().entrySet()) {
            ObjectNode agent = agents.putObject(entry.getKey());
            switch (entry.getValue()) {
                case AgentDefinition.Argv argv -> {
                    ArrayNode array = agent.putArray("argv");
                    argv.argv().forEach(array::add);
                }
                case AgentDefinition.Command command -> agent.put("command", command.command());
                case AgentDefinition.BuiltinDemo demo -> agent.put("command", demo.command());
            }
        }
        ArrayNode methods = out.putArray("authMethods");
        new TreeSet<>(config.auth().keySet()).forEach(methods::add);
        out.put("disableExec", config.disableExec());
        ObjectNode paths = out.putObject("paths");
        paths.put("global", layers.global().path().toString());
        paths.put("project", layers.project().path().toString());
        ObjectNode loaded = out.putObject("loaded");
        loaded.put("global", layers.global().exists());
        loaded.put("project", layers.project().exists());
        // Ours, after every key the Node acpx prints.
        if (config.maxConcurrentSessions() == null) {
            out.putNull("maxConcurrentSessions");
        } else {
            out.put("maxConcurrentSessions", config.maxConcurrentSessions());
        }
        return out;
    }

    /** Seconds as JSON.stringify prints ms / 1000: an integer when whole, a decimal otherwise. */
    private static void putSeconds(ObjectNode out, String key, Duration value) {
        if (value == null) {
            out.putNull(key);
        } else if (value.toMillis() % 1000 == 0) {
            out.put(key, value.toMillis() / 1000);
        } else {
            out.put(key, value.toMillis() / 1000.0);
        }
    }
}
