package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.protocol.InitializeResponse;
import dev.acpx.core.protocol.NewSessionResponse;
import dev.acpx.core.protocol.PromptResponse;
import dev.acpx.core.protocol.ReadTextFileRequest;
import dev.acpx.core.protocol.RequestPermissionRequest;
import dev.acpx.core.protocol.SessionNotification;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds Jackson's (de)serializers for the protocol records while a freshly spawned agent is
 * still booting. Measured on exec: the first answers of an agent cost about 40 ms of record
 * introspection on the critical path; the agent's own start (100+ ms for a node agent) leaves
 * the CPU idle, so the work moves there. Once per runtime; failures are irrelevant.
 */
public final class ProtocolWarmup {
    private static final String[][] SAMPLES = {
        {"{\"protocolVersion\":1,\"agentCapabilities\":{\"loadSession\":true,\"promptCapabilities\":{\"image\":false}},"
                + "\"authMethods\":[],\"agentInfo\":{\"name\":\"w\",\"version\":\"1\"}}", "init"},
        {"{\"sessionId\":\"s\",\"modes\":{\"currentModeId\":\"d\",\"availableModes\":[{\"id\":\"d\",\"name\":\"D\"}]},"
                + "\"configOptions\":[{\"id\":\"model\",\"name\":\"M\",\"category\":\"model\",\"type\":\"select\","
                + "\"currentValue\":\"a\",\"options\":[{\"value\":\"a\",\"name\":\"A\"}]}]}", "new"},
        {"{\"stopReason\":\"end_turn\"}", "prompt"},
        {"{\"sessionId\":\"s\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\"x\"}}}", "update"},
        {"{\"sessionId\":\"s\",\"update\":{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"t\",\"title\":\"T\",\"kind\":\"read\","
                + "\"status\":\"pending\",\"locations\":[{\"path\":\"/x\"}],\"rawInput\":{\"path\":\"/x\"}}}", "update"},
        {"{\"sessionId\":\"s\",\"update\":{\"sessionUpdate\":\"plan\",\"entries\":[{\"content\":\"c\",\"priority\":\"high\",\"status\":\"pending\"}]}}", "update"},
        {"{\"sessionId\":\"s\",\"toolCall\":{\"toolCallId\":\"t\"},\"options\":[{\"optionId\":\"a\",\"name\":\"A\",\"kind\":\"allow_once\"}]}", "permission"},
        {"{\"sessionId\":\"s\",\"path\":\"/x\",\"line\":1,\"limit\":2}", "read"},
    };

    private final AtomicBoolean started = new AtomicBoolean();

    void startOnce(ObjectMapper mapper) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            for (String[] sample : SAMPLES) {
                try {
                    Class<?> type = switch (sample[1]) {
                        case "init" -> InitializeResponse.class;
                        case "new" -> NewSessionResponse.class;
                        case "prompt" -> PromptResponse.class;
                        case "update" -> SessionNotification.class;
                        case "permission" -> RequestPermissionRequest.class;
                        default -> ReadTextFileRequest.class;
                    };
                    mapper.readValue(sample[0], type);
                } catch (Exception | LinkageError ignored) {
                    // a warm-up that fails only means the real message pays the cost
                }
            }
        }, "acpx-protocol-warmup");
        t.setDaemon(true);
        t.start();
    }
}
