package dev.acpx.cli.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.flow.FlowRunResult;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A finished run's result as the Node acpx prints it (SPEC-P2 §5.5): text, one json line, or the runId. */
final class FlowResultOutput {
    private final PrintStream out;
    private final String format;
    private final ObjectMapper mapper;
    private final Function<JsonNode, String> pretty;

    FlowResultOutput(PrintStream out, String format, ObjectMapper mapper, Function<JsonNode, String> pretty) {
        this.out = out;
        this.format = format;
        this.mapper = mapper;
        this.pretty = pretty;
    }

    void print(FlowRunResult r) {
        switch (format) {
            case "quiet" -> out.println(r.runId());
            case "json" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("action", "flow_run_result");
                m.put("runId", r.runId());
                m.put("flowName", r.flowName());
                put(m, "runTitle", r.runTitle());
                put(m, "flowPath", r.flowPath());
                m.put("status", r.status());
                put(m, "currentNode", r.currentNode());
                put(m, "currentNodeType", r.currentNodeType());
                put(m, "statusDetail", r.statusDetail());
                put(m, "waitingOn", r.waitingOn());
                m.put("runDir", r.runDir().toString());
                m.put("outputs", r.outputs());
                m.put("sessionBindings", r.sessionBindings());
                try {
                    out.println(mapper.writeValueAsString(m));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> {
                StringBuilder sb = new StringBuilder();
                sb.append("runId: ").append(r.runId()).append('\n');
                sb.append("flow: ").append(r.flowName()).append('\n');
                line(sb, "title", r.runTitle());
                sb.append("status: ").append(r.status()).append('\n');
                sb.append("runDir: ").append(r.runDir()).append('\n');
                line(sb, "currentNode", r.currentNode());
                line(sb, "statusDetail", r.statusDetail());
                line(sb, "waitingOn", r.waitingOn());
                sb.append(pretty.apply(mapper.valueToTree(r.outputs()))).append('\n');
                out.print(sb);
            }
        }
        out.flush();
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static void line(StringBuilder sb, String key, String value) {
        if (value != null) {
            sb.append(key).append(": ").append(value).append('\n');
        }
    }
}
