package dev.acpx.core.engine.agent;

import dev.acpx.api.AcpxException;
import dev.acpx.core.protocol.SelectOption;
import dev.acpx.core.protocol.SessionConfigOption;
import java.time.Duration;
import java.util.List;

/**
 * {@code --model} and {@code set model X}: the config option whose category is {@code model}
 * when the agent offers one, else the legacy {@code session/set_model}.
 */
public final class ModelSelection {
    private ModelSelection() {}

    public static void apply(AgentSession session, String sessionId, List<SessionConfigOption> options, String model,
                      Duration timeout) {
        SessionConfigOption.Select select = modelOption(options);
        if (select == null) {
            session.call("session/set_model", timeout, () -> {
                session.connection().setModel(sessionId, model);
                return null;
            });
            return;
        }
        List<String> values = select.values().stream().map(SelectOption::value).toList();
        if (!values.contains(model)) {
            // The Node acpx 0.19.1's words and kind (RUNTIME, exit 1).
            throw AcpxException.runtime("Cannot apply --model \"" + model + "\": the ACP agent did not advertise"
                    + " that model. Available models: " + String.join(", ", values) + ".");
        }
        try {
            session.call("session/set_config_option", timeout,
                    () -> session.connection().setConfigOption(sessionId, select.id(), model));
        } catch (AcpxException e) {
            if (e.getCause() instanceof dev.acpx.core.jsonrpc.JsonRpcException rpc) {
                throw ConfigOptions.rejected("model \"" + model + "\"", rpc);
            }
            throw e;
        }
    }

    static SessionConfigOption.Select modelOption(List<SessionConfigOption> options) {
        if (options == null) {
            return null;
        }
        for (SessionConfigOption o : options) {
            if (o instanceof SessionConfigOption.Select s && "model".equals(s.category())) {
                return s;
            }
        }
        return null;
    }
}
