package dev.acpx.e2e;

import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.SessionOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A host JVM for the exit tests: opens three one-shot sessions and one persistent one on the mock
 * agent, prompts each, prints READY, then either exits normally without closing anything (the
 * shutdown hook must clean up) or waits to be SIGKILLed.
 */
public final class EmbeddedChild {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path cwd = Path.of(args[1]);
        String agentCommand = args[2];
        AcpxRuntime rt = AcpxRuntime.builder().userHome(home).maxConcurrentSessions(8).build();
        AgentRef agent = rt.resolveAgent(agentCommand, true, cwd);
        for (int i = 0; i < 3; i++) {
            rt.open(SessionOptions.oneShot(agent, cwd)).prompt("echo child " + i, e -> { });
        }
        rt.open(SessionOptions.persistent(agent, cwd)).prompt("echo child persistent", e -> { });
        System.out.println("READY");
        System.out.flush();
        if (args[3].equals("exit")) {
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    static Process start(Acpx acpx, String how) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"),
                EmbeddedChild.class.getName(), acpx.home.toString(), acpx.cwd.toString(), Acpx.mockAgent(), how));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(acpx.env);
        return pb.start();
    }

    static String awaitReady(Process child, Duration limit) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                var in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                return in.readLine();
            } catch (java.io.IOException e) {
                return "read failed: " + e;
            }
        });
        return line.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }
}
