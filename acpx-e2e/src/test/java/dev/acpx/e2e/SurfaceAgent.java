package dev.acpx.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An agent that speaks the ACP surface that became stable in 2026 (schema of
 * {@code @agentclientprotocol/sdk} 2.4.0). It advertises {@code sessionCapabilities.close} and
 * appends every method it receives, and {@code eof} when its stdin ends, to
 * {@code surface-agent.log} in its working directory, so a test can tell what arrived in which order.
 * Prompts:
 * <ul>
 * <li>{@code signals}: {@link #SIGNALS} (usage, session info, notice, compaction, a tool call known
 *     by its {@code name} only), then the answer {@code signals sent};</li>
 * <li>{@code form}: a form {@code elicitation/create} (name: string, required; count: integer), then
 *     the answer {@code elicitation -> <the client's result>};</li>
 * <li>{@code url}: a URL elicitation, answered likewise;</li>
 * <li>{@code barrier <n> <ms>}: creates {@code barrier-<pid>} in its cwd and waits up to {@code ms}
 *     for {@code n} such files (agents of one compare running at once), answers {@code met} or
 *     {@code alone}, and removes its file;</li>
 * <li>anything else: {@code ok}.</li>
 * </ul>
 */
public final class SurfaceAgent {
    static final String SESSION_ID = "surface-session-1";
    static final String LOG = "surface-agent.log";

    /** The updates of {@code signals}, each exactly as written on the wire (json mode must show them as they are). */
    static final String[] SIGNALS = {
        "{\"sessionUpdate\":\"usage_update\",\"used\":1200,\"size\":200000,\"cost\":{\"amount\":0.0123,"
                + "\"currency\":\"USD\"},\"_meta\":{\"usage\":{\"input_tokens\":11,\"output_tokens\":22,\"total_tokens\":33}}}",
        "{\"sessionUpdate\":\"session_info_update\",\"title\":\"Surface title\",\"updatedAt\":\"2026-11-30T12:00:00Z\"}",
        "{\"sessionUpdate\":\"notice\",\"severity\":\"warning\",\"title\":\"Rate limit is close\"}",
        "{\"sessionUpdate\":\"compaction_update\",\"compactionId\":\"c1\",\"status\":\"in_progress\"}",
        "{\"sessionUpdate\":\"compaction_summary_chunk\",\"compactionId\":\"c1\",\"content\":{\"type\":\"text\","
                + "\"text\":\"Older turns summarized\"}}",
        "{\"sessionUpdate\":\"compaction_update\",\"compactionId\":\"c1\",\"status\":\"completed\",\"summary\":"
                + "[{\"type\":\"text\",\"text\":\"Two turns kept\"}]}",
        "{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"t-named\",\"title\":\"\",\"name\":\"surface_tool\","
                + "\"kind\":\"other\",\"status\":\"completed\"}",
    };

    private final HostileWire wire = new HostileWire();
    private final Path dir = Path.of("").toAbsolutePath();

    public static void main(String[] args) throws Exception {
        HostileWire.haltAfter(300);
        new SurfaceAgent().run();
    }

    private void log(String entry) {
        try {
            Files.writeString(dir.resolve(LOG), entry + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("surface-agent: cannot log: " + e);
        }
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
            log(method);
            switch (method) {
                case "initialize" -> wire.result(id, "{\"protocolVersion\":1,\"agentCapabilities\":{\"loadSession\":false,"
                        + "\"sessionCapabilities\":{\"close\":{}}},"
                        + "\"agentInfo\":{\"name\":\"surface-agent\",\"version\":\"1.0.0\"},\"authMethods\":[]}");
                case "session/new" -> wire.result(id, "{\"sessionId\":" + HostileWire.quote(SESSION_ID) + "}");
                case "session/close" -> wire.result(id, "{}");
                case "session/prompt" -> {
                    String text = HostileWire.string(line, "text");
                    Thread.ofPlatform().name("prompt").start(() -> prompt(id, text == null ? "" : text.trim()));
                }
                case "session/cancel" -> { }
                default -> {
                    if (id != null) {
                        wire.error(id, -32601, "surface agent does not implement " + method);
                    }
                }
            }
        }
        log("eof");
        System.exit(0);
    }

    private void prompt(String id, String text) {
        try {
            String[] words = text.split("\\s+");
            switch (words[0]) {
                case "signals" -> {
                    for (String update : SIGNALS) {
                        wire.update(SESSION_ID, update);
                    }
                    say("signals sent");
                }
                case "form" -> elicit("{\"sessionId\":\"" + SESSION_ID + "\",\"mode\":\"form\",\"message\":"
                        + "\"Who are you?\",\"requestedSchema\":{\"type\":\"object\",\"properties\":{"
                        + "\"name\":{\"type\":\"string\",\"title\":\"Your name\"},"
                        + "\"count\":{\"type\":\"integer\",\"title\":\"How many\"}},\"required\":[\"name\"]}}");
                case "url" -> elicit("{\"sessionId\":\"" + SESSION_ID + "\",\"mode\":\"url\",\"message\":"
                        + "\"Sign in to continue\",\"elicitationId\":\"e1\",\"url\":\"https://example.invalid/login\"}");
                case "barrier" -> barrier(Integer.parseInt(words[1]), Long.parseLong(words[2]));
                default -> say("ok");
            }
            // The signals turn's response carries _meta (compare rows pass it on).
            wire.result(id, "signals".equals(words[0]) ? "{\"stopReason\":\"end_turn\",\"_meta\":{\"surface\":{\"turn\":1}}}"
                    : "{\"stopReason\":\"end_turn\"}");
        } catch (IOException e) {
            System.err.println("surface-agent: cannot write: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void elicit(String params) throws IOException, InterruptedException {
        String response = await(wire.request("elicitation/create", params));
        int at = response.indexOf("\"result\":");
        String result = at < 0 ? response : response.substring(at + 9, response.length() - 1);
        say("elicitation -> " + result);
    }

    private void barrier(int n, long waitMs) throws IOException, InterruptedException {
        Path mine = dir.resolve("barrier-" + ProcessHandle.current().pid());
        Files.writeString(mine, "here");
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        boolean met = false;
        while (!met && System.nanoTime() < end) {
            try (var files = Files.list(dir)) {
                met = files.filter(p -> p.getFileName().toString().startsWith("barrier-")).count() >= n;
            }
            Thread.sleep(50);
        }
        // Stay a moment so the others see this file too, then leave.
        Thread.sleep(met ? 1500 : 0);
        Files.deleteIfExists(mine);
        say(met ? "met" : "alone");
    }

    private void say(String text) throws IOException {
        wire.chunk(SESSION_ID, text + "\n");
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
