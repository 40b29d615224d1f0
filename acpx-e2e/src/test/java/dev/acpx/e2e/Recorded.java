package dev.acpx.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@link RecordingAgent} received: its log, one JSON message a line, and how to start it. */
final class Recorded {
    private final ObjectMapper mapper = new ObjectMapper();
    final Path log;

    Recorded(Path log) {
        this.log = log;
    }

    /** The command line that starts the recording agent on this JVM's test classes. */
    static String agentCommand() throws Exception {
        return Acpx.javaAgent(RecordingAgent.class);
    }

    /** The agent's command line with the log file as its argument (for agents of this very JVM). */
    String agentCommandLoggingHere() throws Exception {
        return agentCommand() + " " + log;
    }

    /** Points {@code acpx}'s environment (and so its agents') at a fresh log under {@code dir}. */
    static Recorded install(Acpx acpx, Path dir) {
        Path log = dir.resolve("agent-log.ndjson");
        acpx.env.put("REC_AGENT_LOG", log.toString());
        acpx.env.put("REC_AGENT_STATE", dir.resolve("agent-state").toString());
        // these tests do not measure start-up: no AOT training inside a test's time limit
        acpx.env.put("ACPX_NO_TRAIN", "1");
        return new Recorded(log);
    }

    List<JsonNode> messages() {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(log)) {
                if (!line.isBlank()) {
                    out.add(mapper.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** The params of every request of {@code method}, in order. */
    List<JsonNode> params(String method) {
        return messages().stream().filter(m -> method.equals(m.path("method").asText()))
                .map(m -> m.get("params")).toList();
    }

    /** The methods received, in order. */
    List<String> methods() {
        return messages().stream().map(m -> m.path("method").asText(null)).filter(m -> m != null).toList();
    }

    JsonNode json(String text) throws IOException {
        return mapper.readTree(text);
    }
}
