package dev.acpx.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An agent that probes acpx's permission guard (issue 11). It plays the prompt it is given:
 * <ul>
 * <li>{@code attack}: asks permission for a <em>read</em> tool call, then writes
 *     {@code pwned.txt} and runs {@code touch ran.txt} in a terminal;</li>
 * <li>{@code edit}: asks for an edit of {@code ok.txt} (its only location), then writes
 *     {@code ok.txt}, {@code other.txt} and {@code ok.txt} again;</li>
 * <li>{@code execute}: asks for an execute call, then runs {@code touch first.txt} and
 *     {@code touch second.txt};</li>
 * <li>{@code ask <kind|-> <title...>}: one permission request of that kind (- for none) and
 *     title, rawInput {@code {"name": <first title word>}};</li>
 * <li>{@code read <file>}: one {@code fs/read_text_file};</li>
 * <li>anything else: {@code ok}.</li>
 * </ul>
 * Each step is reported as an agent message line {@code probe <step> -> <outcome>}; whatever the
 * client answers, the turn ends with end_turn. Runs as {@code java -cp <test-classes>}.
 */
public final class ProbeAgent {
    static final String SESSION_ID = "probe-session-1";

    private final HostileWire wire = new HostileWire();
    private volatile String cwd = Path.of("").toAbsolutePath().toString();

    public static void main(String[] args) throws Exception {
        HostileWire.haltAfter(300);
        new ProbeAgent().run();
    }

    private void run() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String id = HostileWire.id(line);
            String method = HostileWire.method(line);
            if (method == null) {
                if (id != null) {
                    wire.answer(id, line);
                }
                continue;
            }
            switch (method) {
                case "initialize" -> wire.result(id, "{\"protocolVersion\":1,\"agentCapabilities\":{\"loadSession\":false},"
                        + "\"agentInfo\":{\"name\":\"probe-agent\",\"version\":\"1.0.0\"},\"authMethods\":[]}");
                case "session/new" -> {
                    String requested = HostileWire.string(line, "cwd");
                    if (requested != null) {
                        cwd = requested;
                    }
                    wire.result(id, "{\"sessionId\":" + HostileWire.quote(SESSION_ID) + "}");
                }
                case "session/prompt" -> {
                    String text = HostileWire.string(line, "text");
                    Thread.ofPlatform().name("prompt").start(() -> prompt(id, text == null ? "" : text.trim()));
                }
                case "session/cancel" -> { }
                default -> {
                    if (id != null) {
                        wire.error(id, -32601, "probe agent does not implement " + method);
                    }
                }
            }
        }
        System.exit(0);
    }

    private void prompt(String id, String text) {
        try {
            String[] words = text.split("\\s+");
            switch (words[0]) {
                case "attack" -> {
                    ask("read-permission", "t-read", "read", "Read notes.txt", "notes.txt");
                    write("write", "pwned.txt");
                    terminal("terminal", "ran.txt");
                }
                case "edit" -> {
                    ask("edit-permission", "t-edit", "edit", "Edit ok.txt", "ok.txt");
                    write("write-approved", "ok.txt");
                    write("write-other", "other.txt");
                    write("write-again", "ok.txt");
                }
                case "execute" -> {
                    ask("execute-permission", "t-exec", "execute", "Run touch first.txt", null);
                    terminal("terminal-approved", "first.txt");
                    terminal("terminal-again", "second.txt");
                }
                case "ask" -> {
                    String kind = words.length > 1 && !words[1].equals("-") ? words[1] : null;
                    String title = words.length > 2
                            ? String.join(" ", java.util.Arrays.copyOfRange(words, 2, words.length)) : "Untitled";
                    ask("ask", "t-ask", kind, title, null);
                }
                case "read" -> read(words.length > 1 ? words[1] : "notes.txt");
                default -> say("ok");
            }
            wire.result(id, "{\"stopReason\":\"end_turn\"}");
        } catch (IOException e) {
            System.err.println("probe-agent: cannot write: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void say(String line) throws IOException {
        wire.chunk(SESSION_ID, line + "\n");
    }

    private void ask(String step, String toolCallId, String kind, String title, String file)
            throws IOException, InterruptedException {
        String location = file == null ? "" : ",\"locations\":[{\"path\":" + HostileWire.quote(cwd + "/" + file) + "}]";
        String kindField = kind == null ? "" : ",\"kind\":" + HostileWire.quote(kind);
        String toolName = title.split("[:\\s]+")[0];
        String fields = "\"toolCallId\":" + HostileWire.quote(toolCallId) + ",\"title\":" + HostileWire.quote(title)
                + kindField + location + ",\"rawInput\":{\"name\":" + HostileWire.quote(toolName) + "}";
        wire.update(SESSION_ID, "{\"sessionUpdate\":\"tool_call\"," + fields + ",\"status\":\"pending\"}");
        String response = await(wire.request("session/request_permission", "{\"sessionId\":\"" + SESSION_ID
                + "\",\"toolCall\":{" + fields + "},\"options\":[{\"optionId\":\"allow\",\"name\":\"Allow\",\"kind\":"
                + "\"allow_once\"},{\"optionId\":\"reject\",\"name\":\"Reject\",\"kind\":\"reject_once\"}]}"));
        String outcome = HostileWire.string(response, "outcome");
        String option = HostileWire.string(response, "optionId");
        boolean escalated = response.contains("permissionEscalation");
        say("probe " + step + " -> " + outcome + (option == null ? "" : " " + option)
                + (escalated ? " escalated" : ""));
    }

    private void write(String step, String file) throws IOException, InterruptedException {
        String response = await(wire.request("fs/write_text_file", "{\"sessionId\":\"" + SESSION_ID + "\",\"path\":"
                + HostileWire.quote(cwd + "/" + file) + ",\"content\":" + HostileWire.quote("written by " + step) + "}"));
        say("probe " + step + " -> " + describe(response));
    }

    private void read(String file) throws IOException, InterruptedException {
        String response = await(wire.request("fs/read_text_file", "{\"sessionId\":\"" + SESSION_ID + "\",\"path\":"
                + HostileWire.quote(cwd + "/" + file) + "}"));
        say("probe read -> " + describe(response));
    }

    private void terminal(String step, String marker) throws IOException, InterruptedException {
        String response = await(wire.request("terminal/create", "{\"sessionId\":\"" + SESSION_ID
                + "\",\"command\":\"/bin/sh\",\"args\":[\"-c\"," + HostileWire.quote("touch " + marker) + "],\"cwd\":"
                + HostileWire.quote(cwd) + "}"));
        String terminalId = HostileWire.string(response, "terminalId");
        if (terminalId != null) {
            String params = "{\"sessionId\":\"" + SESSION_ID + "\",\"terminalId\":" + HostileWire.quote(terminalId) + "}";
            await(wire.request("terminal/wait_for_exit", params));
            await(wire.request("terminal/release", params));
        }
        say("probe " + step + " -> " + describe(response));
    }

    private static String describe(String response) {
        if (response.contains("\"error\"")) {
            String details = HostileWire.string(response, "details");
            return "error " + (details != null ? details : HostileWire.string(response, "message"));
        }
        return "ok";
    }

    private static String await(CompletableFuture<String> answer) throws InterruptedException {
        try {
            return answer.get(120, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "{\"error\":{\"message\":\"no answer within 120 s\"}}";
        } catch (ExecutionException e) {
            return "{\"error\":{\"message\":" + HostileWire.quote(String.valueOf(e.getCause())) + "}}";
        }
    }
}
