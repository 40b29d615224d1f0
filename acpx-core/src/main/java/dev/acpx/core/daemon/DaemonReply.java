package dev.acpx.core.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The daemon's one-line answer to a request. {@code build} and {@code pid} name the daemon;
 * {@code otherBuild} says it refused a caller of another build (retire it), {@code retiring} that
 * it is leaving (wait for it to go and start a new one).
 */
public record DaemonReply(boolean ok, String build, long pid, boolean otherBuild, boolean retiring, String message) {

    static DaemonReply ok(String build, long pid, String message) {
        return new DaemonReply(true, build, pid, false, false, message);
    }

    static DaemonReply error(String build, long pid, String message) {
        return new DaemonReply(false, build, pid, false, false, message);
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode().put("ok", ok).put("build", build).put("pid", pid);
        if (otherBuild) {
            n.put("otherBuild", true);
        }
        if (retiring) {
            n.put("retiring", true);
        }
        if (message != null) {
            n.put("message", message);
        }
        return n;
    }

    static DaemonReply fromJson(JsonNode n) {
        return new DaemonReply(n.path("ok").asBoolean(false), n.path("build").asText(""), n.path("pid").asLong(0),
                n.path("otherBuild").asBoolean(false), n.path("retiring").asBoolean(false),
                n.hasNonNull("message") ? n.get("message").asText() : null);
    }
}
