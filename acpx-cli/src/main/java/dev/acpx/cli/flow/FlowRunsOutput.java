package dev.acpx.cli.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.flow.FlowRunInfo;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code flow runs}: an aligned table, one json array, or the run ids (quiet). */
final class FlowRunsOutput {
    private final PrintStream out;
    private final String format;
    private final ObjectMapper mapper;

    FlowRunsOutput(PrintStream out, String format, ObjectMapper mapper) {
        this.out = out;
        this.format = format;
        this.mapper = mapper;
    }

    void print(List<FlowRunInfo> runs) {
        switch (format) {
            case "quiet" -> runs.forEach(r -> out.println(r.runId()));
            case "json" -> {
                List<Object> list = new ArrayList<>();
                for (FlowRunInfo r : runs) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("runId", r.runId());
                    m.put("flowName", r.flowName());
                    m.put("runTitle", r.runTitle());
                    m.put("flowPath", r.flowPath());
                    m.put("status", r.status());
                    m.put("currentNode", r.currentNode());
                    m.put("waitingOn", r.waitingOn());
                    m.put("error", r.error());
                    m.put("startedAt", r.startedAt() == null ? null : r.startedAt().toString());
                    m.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
                    m.put("runDir", r.runDir().toString());
                    list.add(m);
                }
                try {
                    out.println(mapper.writeValueAsString(list));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> {
                if (runs.isEmpty()) {
                    out.println("No flow runs");
                    break;
                }
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"RUN ID", "FLOW", "STATUS", "STARTED", "DETAIL"});
                for (FlowRunInfo r : runs) {
                    String detail = r.waitingOn() != null ? "waiting on " + r.waitingOn()
                            : r.error() != null ? r.error().lines().findFirst().orElse("") : "";
                    rows.add(new String[] {r.runId(), r.flowName(), r.status(),
                            r.startedAt() == null ? "-" : r.startedAt().toString(), detail});
                }
                int[] width = new int[5];
                for (String[] row : rows) {
                    for (int i = 0; i < 4; i++) {
                        width[i] = Math.max(width[i], row[i].length());
                    }
                }
                for (String[] row : rows) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < 4; i++) {
                        sb.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 2));
                    }
                    sb.append(row[4]);
                    out.println(sb.toString().stripTrailing());
                }
            }
        }
        out.flush();
    }
}
