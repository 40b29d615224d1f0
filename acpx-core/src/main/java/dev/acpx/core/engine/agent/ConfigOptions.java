package dev.acpx.core.engine.agent;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentError;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.protocol.SessionConfigOption;
import java.time.Duration;
import java.util.List;

/** {@code set KEY VALUE}: a session config option; the agent decides what it accepts (model: checked first). */
public final class ConfigOptions {
    private ConfigOptions() {}

    /** As {@link #apply(AgentSession, String, List, String, String, Duration)} with no time limit. */
    public static String apply(AgentSession s, String sessionId, List<SessionConfigOption> offered, String key, String value) {
        return apply(s, sessionId, offered, key, value, null);
    }

    /** Sets {@code key}; {@code timeout} bounds the agent's answer (null: no limit). */
    public static String apply(AgentSession s, String sessionId, List<SessionConfigOption> offered, String key, String value,
                        Duration timeout) {
        if (key.equals("model")) {
            ModelSelection.apply(s, sessionId, offered, value, timeout);
            return "model set to " + value;
        }
        // Like the Node acpx, other keys go to the agent unchecked: it is the judge of what it offers.
        try {
            s.call("session/set_config_option", timeout, () -> s.connection().setConfigOption(sessionId, key, value));
        } catch (AcpxException e) {
            if (e.getCause() instanceof JsonRpcException rpc) {
                throw rejected("\"" + key + "\"=\"" + value + "\"", rpc);
            }
            throw e;
        }
        return key + " set to " + value;
    }

    /** The Node acpx 0.19.1's text for an option the agent refused, keeping the agent's error for json. */
    static AcpxException rejected(String what, JsonRpcException e) {
        String summary = e.getMessage() + " (ACP " + e.code() + ")";
        if (e.data() != null && e.data().path("details").isTextual()) {
            summary = e.data().get("details").textValue() + " (ACP " + e.code() + ", adapter reported \""
                    + e.getMessage() + "\")";
        }
        boolean refused = e.code() == JsonRpcException.METHOD_NOT_FOUND || e.code() == JsonRpcException.INVALID_PARAMS
                || (e.code() == JsonRpcException.INTERNAL_ERROR && summary.toLowerCase().contains("invalid params"));
        String message = refused
                ? "Agent rejected session/set_config_option for " + what + ": " + summary
                        + ". The adapter may not implement session/set_config_option, or the requested value is not supported."
                : "Failed session/set_config_option for " + what + ": " + summary;
        return new AcpxException(ErrorKind.RUNTIME, message, null, e,
                new AgentError(e.code(), e.getMessage(), e.data() == null ? null : e.data().toString()));
    }
}
