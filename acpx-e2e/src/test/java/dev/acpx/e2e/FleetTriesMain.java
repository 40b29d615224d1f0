package dev.acpx.e2e;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.TurnListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One simulated fleet host (its own JVM and HOME, the fleet from its {@code ~/.acpx/config.json})
 * that makes many tries at once: prints {@code READY}, waits for {@code go} on stdin (so that every
 * host starts together), then runs {@code <tries>} one-shot turns on as many threads through the
 * runtime's {@code exec}, printing {@code OK}, or {@code ERR <kind> <message>} for each, then
 * {@code DONE}. Cheaper than as many JVMs, so a loaded machine still runs them all at once.
 */
public final class FleetTriesMain {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path cwd = Path.of(args[1]);
        String agentCommand = args[2];
        int tries = Integer.parseInt(args[3]);
        String prompt = args[4];
        try (AcpxRuntime rt = AcpxRuntime.builder().userHome(home).build()) {
            AgentRef agent = rt.resolveAgent(agentCommand, true, cwd);
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"go".equals(in.readLine())) {
                return;
            }
            CountDownLatch done = new CountDownLatch(tries);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    String line;
                    try {
                        rt.exec(new ExecRequest(agent, cwd, prompt, PermissionPolicies.approveAll(), null, null,
                                false), TurnListener.ignoring());
                        line = "OK";
                    } catch (AcpxException e) {
                        line = "ERR " + e.kind() + " " + e.getMessage().replace('\n', ' ');
                    } catch (RuntimeException e) {
                        line = "ERR " + e;
                    }
                    synchronized (System.out) {
                        System.out.println(line);
                        System.out.flush();
                    }
                    done.countDown();
                }));
            }
            done.await();
            System.out.println("DONE");
            System.out.flush();
        }
    }
}
