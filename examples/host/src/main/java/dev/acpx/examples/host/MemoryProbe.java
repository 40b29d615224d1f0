package dev.acpx.examples.host;

import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.Session;
import dev.acpx.api.SessionOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures what an open session costs the host JVM: heap used after a full GC and this process's
 * RSS (agent processes are separate and not counted), before and after opening S sessions that
 * each ran one turn, then turns per second over those warm sessions.
 */
public final class MemoryProbe {
    public static void main(String[] args) throws Exception {
        int count = 100;
        String agentCommand = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--agent")) {
                agentCommand = args[++i];
            } else {
                count = Integer.parseInt(args[i]);
            }
        }
        Path home = Files.createTempDirectory("acpx-memory-probe");
        Path cwd = Files.createDirectories(home.resolve("work"));
        try (AcpxRuntime acpx = AcpxRuntime.builder().userHome(home).build()) {
            AgentRef agent = agentCommand == null ? acpx.resolveAgent("demo", false, cwd)
                    : acpx.resolveAgent(agentCommand, true, cwd);
            // Warm up the code paths (class loading, JIT) with one session, so the baseline includes them.
            try (Session warm = acpx.open(SessionOptions.oneShot(agent, cwd))) {
                warm.prompt("echo warm", e -> { });
            }
            long heap0 = heapAfterGc();
            long rss0 = rssBytes();
            List<Session> open = new ArrayList<>();
            List<Thread> starting = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Session s = acpx.open(SessionOptions.oneShot(agent, cwd));
                open.add(s);
                starting.add(Thread.ofVirtual().start(() -> s.prompt("echo first turn", e -> { })));
            }
            for (Thread t : starting) {
                t.join();
            }
            long heap1 = heapAfterGc();
            long rss1 = rssBytes();
            long live = open.stream().filter(s -> s.status().running()).count();
            System.out.printf("%d sessions open (%d with a live agent)%n", count, live);
            System.out.printf("heap used after GC: %.1f MiB -> %.1f MiB: %.1f KiB per session%n",
                    heap0 / 1048576.0, heap1 / 1048576.0, (heap1 - heap0) / 1024.0 / count);
            System.out.printf("process RSS: %.1f MiB -> %.1f MiB: %.1f KiB per session (agents excluded)%n",
                    rss0 / 1048576.0, rss1 / 1048576.0, (rss1 - rss0) / 1024.0 / count);
            int rounds = 10;
            long t0 = System.nanoTime();
            List<Thread> turns = new ArrayList<>();
            for (Session s : open) {
                turns.add(Thread.ofVirtual().start(() -> {
                    for (int r = 0; r < rounds; r++) {
                        s.prompt("echo round " + r, e -> { });
                    }
                }));
            }
            for (Thread t : turns) {
                t.join();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d turns over %d warm sessions in %.2f s: %.0f turns/s%n",
                    rounds * count, count, secs, rounds * count / secs);
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rssBytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
