package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.jsonrpc.LineLimits;
import dev.acpx.core.process.ProcessSupervisor;
import java.time.Clock;
import java.util.Map;

/**
 * What every agent session of one runtime shares: the JSON mapper, the process supervisor (one
 * watchdog per JVM), the clock, and the environment agents inherit.
 */
public record EngineContext(ObjectMapper mapper, ProcessSupervisor supervisor, Clock clock,
                            Map<String, String> environment, String clientVersion, ProtocolWarmup warmup) {
    /** Lines longer than this from an agent are skipped and reported, never buffered whole. */
    public static final int MAX_LINE_BYTES = LineLimits.AGENT_LINE_BYTES;
    /** Output a terminal keeps when the agent sets no limit. */
    public static final long DEFAULT_TERMINAL_OUTPUT_BYTES = 1024 * 1024;

    public EngineContext {
        environment = Map.copyOf(environment);
    }

    public EngineContext(ObjectMapper mapper, ProcessSupervisor supervisor, Clock clock,
                         Map<String, String> environment, String clientVersion) {
        this(mapper, supervisor, clock, environment, clientVersion, new ProtocolWarmup());
    }

    /** Warms the protocol (de)serializers of this context's mapper, once, off the caller's thread. */
    void warmUpProtocol() {
        warmup.startOnce(mapper);
    }
}
