package dev.acpx.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * An agent that writes every line it receives to {@code $REC_AGENT_LOG} (one JSON line each, as
 * received), so a test can see exactly what acpx put on the wire: {@code session/new} {@code _meta},
 * {@code mcpServers} of new, load and resume. It advertises {@code loadSession}; with
 * {@code REC_REFUSE_LOAD=1} it answers every {@code session/load} "Resource not found", so acpx
 * has to fall back to a new session. Prompts:
 * <ul>
 * <li>{@code fail N}: the first N attempts of this text answer -32603 "Internal error" (a counter
 *     file under {@code $REC_AGENT_STATE}), then the turn answers {@code recovered};</li>
 * <li>{@code badparse}: always -32700 "Parse error";</li>
 * <li>{@code invalid}: always -32602 "Invalid params" (not transient);</li>
 * <li>{@code talkfail}: one message chunk, then -32603 (the turn had an effect);</li>
 * <li>anything else: {@code ok}.</li>
 * </ul>
 * {@code session/set_config_option} accepts {@code model} (values a, b) and {@code effort} (low,
 * high), and refuses anything else with -32602. Runs as {@code java -cp <test-classes>}.
 */
public final class RecordingAgent {
    private final HostileWire wire = new HostileWire();
    private final Path log;
    private final Path state;
    private final boolean refuseLoad = "1".equals(System.getenv("REC_REFUSE_LOAD"));

    /** @param logArg the log file from the command line (an embedding JVM's agents get its own environment) */
    private RecordingAgent(String logArg) {
        String logPath = logArg != null ? logArg : System.getenv("REC_AGENT_LOG");
        this.log = Path.of(logPath);
        this.state = Path.of(logArg == null && System.getenv("REC_AGENT_STATE") != null
                ? System.getenv("REC_AGENT_STATE") : logPath + ".state");
    }

    public static void main(String[] args) throws Exception {
        HostileWire.haltAfter(300);
        new RecordingAgent(args.length > 0 ? args[0] : null).run();
    }

    private static final String CONFIG_OPTIONS = "[{\"id\":\"model\",\"name\":\"Model\",\"category\":\"model\","
            + "\"type\":\"select\",\"currentValue\":\"a\",\"options\":[{\"value\":\"a\",\"name\":\"A\"},"
            + "{\"value\":\"b\",\"name\":\"B\"}]},{\"id\":\"effort\",\"name\":\"Effort\",\"type\":\"select\","
            + "\"currentValue\":\"low\",\"options\":[{\"value\":\"low\",\"name\":\"Low\"},{\"value\":\"high\","
            + "\"name\":\"High\"}]}]";

    private void run() throws IOException {
        Files.createDirectories(state);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            String id = HostileWire.id(line);
            String method = HostileWire.method(line);
            if (method == null || id == null) {
                continue;
            }
            switch (method) {
                case "initialize" -> wire.result(id, "{\"protocolVersion\":1,\"agentCapabilities\":{\"loadSession\":true,"
                        + "\"mcpCapabilities\":{\"http\":true,\"sse\":true}},\"authMethods\":[]}");
                case "session/new" -> wire.result(id, "{\"sessionId\":\"rec-" + UUID.randomUUID()
                        + "\",\"configOptions\":" + CONFIG_OPTIONS + "}");
                case "session/load" -> {
                    if (refuseLoad) {
                        wire.error(id, -32002, "Resource not found");
                    } else {
                        wire.result(id, "{\"configOptions\":" + CONFIG_OPTIONS + "}");
                    }
                }
                case "session/set_config_option" -> {
                    String key = HostileWire.string(line, "configId");
                    if ("model".equals(key) || "effort".equals(key)) {
                        wire.result(id, "{\"configOptions\":" + CONFIG_OPTIONS + "}");
                    } else {
                        wire.error(id, -32602, "Invalid params: unknown config option \"" + key + "\"");
                    }
                }
                case "session/prompt" -> prompt(id, HostileWire.string(line, "sessionId"),
                        HostileWire.string(line, "text"));
                default -> wire.error(id, -32601, "Method not found: " + method);
            }
        }
    }

    private void prompt(String id, String sessionId, String text) throws IOException {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("fail ")) {
            int failures = Integer.parseInt(t.substring(5).strip());
            Path counter = state.resolve("attempts-" + Integer.toHexString(t.hashCode()));
            int seen = Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) : 0;
            Files.writeString(counter, Integer.toString(seen + 1));
            if (seen < failures) {
                wire.error(id, -32603, "Internal error");
                return;
            }
            wire.chunk(sessionId, "recovered after " + seen + " failures");
        } else if (t.equals("badparse")) {
            wire.error(id, -32700, "Parse error");
            return;
        } else if (t.equals("invalid")) {
            wire.error(id, -32602, "Invalid params");
            return;
        } else if (t.equals("talkfail")) {
            wire.chunk(sessionId, "partial answer");
            wire.error(id, -32603, "Internal error");
            return;
        } else {
            wire.chunk(sessionId, "ok");
        }
        wire.result(id, "{\"stopReason\":\"end_turn\"}");
    }
}
