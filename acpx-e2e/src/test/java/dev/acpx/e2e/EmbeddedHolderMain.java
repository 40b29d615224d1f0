package dev.acpx.e2e;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.Session;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.TurnEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * An embedding host JVM holding one persistent session on the mock agent, driven line by line on
 * stdin so a test can interleave CLI commands with its turns. Prints {@code READY <record id>
 * <agent pid>} after a first turn, then answers each command with one line:
 * {@code prompt <text>} runs a turn and prints {@code OK <answer>} or {@code ERR <kind> <message>};
 * {@code start <text>} starts a turn in the background and prints {@code STARTED} once it runs
 * ({@code wait} prints its outcome); {@code open} prints whether the handle is open; {@code quit}
 * closes the runtime.
 */
public final class EmbeddedHolderMain {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path cwd = Path.of(args[1]);
        try (AcpxRuntime rt = AcpxRuntime.builder().userHome(home).build()) {
            AgentRef agent = rt.resolveAgent(args[2], true, cwd);
            Session session = rt.open(SessionOptions.persistent(agent, cwd));
            System.out.println(turn(session, "echo first"));
            System.out.println("READY " + session.recordId() + " " + session.status().agentPid());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            CompletableFuture<String> background = null;
            for (String line; (line = in.readLine()) != null; ) {
                String out;
                if (line.startsWith("prompt ")) {
                    out = turn(session, line.substring("prompt ".length()));
                } else if (line.startsWith("start ")) {
                    String text = line.substring("start ".length());
                    CompletableFuture<String> started = new CompletableFuture<>();
                    CompletableFuture<String> done = new CompletableFuture<>();
                    Thread.ofPlatform().start(() -> done.complete(turn(session, text, started)));
                    background = done;
                    out = started.get();
                } else if (line.equals("wait")) {
                    out = background == null ? "ERR none" : background.get();
                } else if (line.equals("open")) {
                    out = "OPEN " + session.isOpen();
                } else if (line.equals("quit")) {
                    break;
                } else {
                    out = "ERR unknown command " + line;
                }
                System.out.println(out);
                System.out.flush();
            }
        }
        System.out.println("BYE");
        System.out.flush();
    }

    private static String turn(Session session, String text) {
        return turn(session, text, new CompletableFuture<>());
    }

    /** Runs one turn; {@code started} completes with STARTED at the turn's first agent text. */
    private static String turn(Session session, String text, CompletableFuture<String> started) {
        StringBuilder answer = new StringBuilder();
        try {
            session.prompt(text, event -> {
                if (event instanceof TurnEvent.AgentText t) {
                    answer.append(t.text());
                    started.complete("STARTED");
                }
            });
            started.complete("STARTED");
            return "OK " + answer.toString().replace('\n', ' ');
        } catch (AcpxException e) {
            started.complete("STARTED");
            return "ERR " + e.kind() + " " + e.getMessage().replace('\n', ' ');
        }
    }
}
