package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.core.protocol.SelectOption;
import dev.acpx.core.protocol.SessionConfigOption;
import java.time.Duration;
import java.util.List;

/** {@code set KEY VALUE}: a session config option, checked against what the agent offers. */
final class ConfigOptions {
    private ConfigOptions() {}

    /** As {@link #apply(AgentSession, String, List, String, String, Duration)} with no time limit. */
    static String apply(AgentSession s, String sessionId, List<SessionConfigOption> offered, String key, String value) {
        return apply(s, sessionId, offered, key, value, null);
    }

    /** Sets {@code key}; {@code timeout} bounds the agent's answer (null: no limit). */
    static String apply(AgentSession s, String sessionId, List<SessionConfigOption> offered, String key, String value,
                        Duration timeout) {
        if (key.equals("model")) {
            ModelSelection.apply(s, sessionId, offered, value, timeout);
            return "model set to " + value;
        }
        SessionConfigOption option = offered.stream().filter(o -> key.equals(o.id())).findFirst().orElse(null);
        if (option == null) {
            throw AcpxException.usage("unknown option '" + key + "'; the agent offers: "
                    + (offered.isEmpty() ? "(none)" : String.join(", ", offered.stream().map(SessionConfigOption::id).toList())));
        }
        if (option instanceof SessionConfigOption.Select select) {
            List<String> values = select.values().stream().map(SelectOption::value).toList();
            if (!values.contains(value)) {
                throw AcpxException.usage("unknown value '" + value + "' for " + key + "; the agent offers: "
                        + String.join(", ", values));
            }
        }
        s.call("session/set_config_option", timeout, () -> s.connection().setConfigOption(sessionId, key, value));
        return key + " set to " + value;
    }
}
