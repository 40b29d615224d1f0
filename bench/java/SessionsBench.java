import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.TurnEvent;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark case (h), runtime only: N sessions held open at once in one JVM through the public
 * {@link AcpxRuntime} API, then turns per second over them. Prints what it measured and a last
 * line {@code BENCH_METRICS <json>} that bench/run attaches to the case's result.
 *
 * <p>How a "session" is held is a {@link Driver}, chosen with {@code --driver}: {@code exec}
 * (built in) or the name of a class on the classpath implementing {@code SessionsBench.Driver}
 * with a public {@code (AcpxRuntime, AgentRef, Path)} constructor, so an in-JVM persistent
 * session API can be measured the same way without touching this file.
 *
 * <p>Usage: {@code java -cp acpx.jar:classes SessionsBench [--driver exec] [--sessions 100]
 * [--turns 100] [--hold-ms 600000] --agent "node agent.mjs" --cwd DIR --home DIR}
 */
public final class SessionsBench {
    /** One way to hold sessions open and run turns on them. */
    public interface Driver extends AutoCloseable {
        /** What the figures mean, for the report. */
        String describe();

        /**
         * Opens session {@code i} and keeps it open until {@link #releaseAll}; counts down
         * {@code opened} once the session is open and live. Blocks for the session's lifetime.
         */
        void hold(int i, CountDownLatch opened) throws Exception;

        /** Ends every held session; each {@link #hold} returns soon after. */
        void releaseAll() throws Exception;

        /** Runs one short turn on session {@code i} and returns when it has ended. */
        void turn(int i) throws Exception;

        @Override
        default void close() {}
    }

    /**
     * Today's runtime: every session is a one-shot {@code exec} (an agent process of its own).
     * A held session is a turn the mock agent keeps running ({@code slow <ms>}) until the
     * runtime is interrupted; a turn is a whole {@code exec 'echo hi'}, agent start included.
     */
    public static final class ExecDriver implements Driver {
        private final AcpxRuntime runtime;
        private final AgentRef agent;
        private final Path cwd;
        private final long holdMs;
        private volatile boolean released;

        public ExecDriver(AcpxRuntime runtime, AgentRef agent, Path cwd, long holdMs) {
            this.runtime = runtime;
            this.agent = agent;
            this.cwd = cwd;
            this.holdMs = holdMs;
        }

        @Override
        public String describe() {
            return "exec: each session is a one-shot exec (its own agent process), held open by a 'slow' turn;"
                    + " a turn is a whole exec 'echo hi' including the agent's start";
        }

        @Override
        public void hold(int i, CountDownLatch opened) {
            boolean[] seen = {false};
            try {
                runtime.exec(request("slow " + holdMs), event -> {
                    if (event instanceof TurnEvent.AgentText && !seen[0]) {
                        seen[0] = true;
                        opened.countDown();
                    }
                });
            } catch (RuntimeException e) {
                if (!released) {
                    throw e;
                }
            }
            if (!seen[0]) {
                opened.countDown();
                throw new IllegalStateException("session " + i + " ended before it was open");
            }
            if (!released) {
                throw new IllegalStateException("session " + i + " ended after " + holdMs
                        + " ms, before all were open; raise --hold-ms");
            }
        }

        /** The runtime ends every live agent tree; the held turns return (or fail) at once. */
        @Override
        public void releaseAll() {
            released = true;
            runtime.interrupt();
        }

        @Override
        public void turn(int i) {
            runtime.exec(request("echo hi"), event -> { });
        }

        private ExecRequest request(String prompt) {
            return new ExecRequest(agent, cwd, prompt, PermissionPolicies.approveAll(), null, null, false);
        }
    }

    public static void main(String[] args) throws Exception {
        String driverName = "exec";
        String agentCommand = null;
        Path cwd = Path.of("").toAbsolutePath();
        Path home = Path.of(System.getProperty("user.home"));
        int sessions = 100;
        int turns = 100;
        long holdMs = 600_000;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--driver" -> driverName = v;
                case "--agent" -> agentCommand = v;
                case "--cwd" -> cwd = Path.of(v).toAbsolutePath();
                case "--home" -> home = Path.of(v).toAbsolutePath();
                case "--sessions" -> sessions = Integer.parseInt(v);
                case "--turns" -> turns = Integer.parseInt(v);
                case "--hold-ms" -> holdMs = Long.parseLong(v);
                default -> throw new IllegalArgumentException("SessionsBench: unknown option " + args[i]);
            }
            i++;
        }
        if (agentCommand == null) {
            throw new IllegalArgumentException("SessionsBench: --agent COMMAND is required");
        }
        try (AcpxRuntime runtime = AcpxRuntime.builder().userHome(home).build()) {
            AgentRef agent = runtime.resolveAgent(agentCommand, true, cwd);
            try (Driver driver = driver(driverName, runtime, agent, cwd, holdMs)) {
                run(driver, sessions, turns);
            }
        }
    }

    private static Driver driver(String name, AcpxRuntime runtime, AgentRef agent, Path cwd, long holdMs)
            throws ReflectiveOperationException {
        if (name.equals("exec")) {
            return new ExecDriver(runtime, agent, cwd, holdMs);
        }
        return (Driver) Class.forName(name).getConstructor(AcpxRuntime.class, AgentRef.class, Path.class)
                .newInstance(runtime, agent, cwd);
    }

    private static void run(Driver driver, int sessions, int turns) throws Exception {
        System.out.println("driver: " + driver.describe());
        // One turn first, so the baseline already holds the classes and threads any turn needs.
        driver.turn(0);
        Memory base = Memory.sample();

        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch opened = new CountDownLatch(sessions);
        long t0 = System.nanoTime();
        List<Future<?>> held = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            int n = i;
            held.add(pool.submit(() -> {
                driver.hold(n, opened);
                return null;
            }));
        }
        if (!opened.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (sessions - opened.getCount()) + " of " + sessions
                    + " sessions opened within 300 s");
        }
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        Memory open = Memory.sample();
        driver.releaseAll();
        for (Future<?> f : held) {
            f.get();
        }

        long t1 = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            int n = i % sessions;
            running.add(pool.submit(() -> {
                driver.turn(n);
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double turnSeconds = (System.nanoTime() - t1) / 1e9;
        pool.close();

        double heapPer = (open.heapBytes - base.heapBytes) / (double) sessions / 1024;
        double rssPer = (open.rssKb - base.rssKb) / (double) sessions;
        double agentsPer = open.childrenRssKb / (double) sessions;
        System.out.printf(Locale.ROOT, "%d sessions open at once after %.2f s%n", sessions, openSeconds);
        System.out.printf(Locale.ROOT, "JVM heap after GC: %.0f KiB per session (base %d KiB, open %d KiB)%n",
                heapPer, base.heapBytes / 1024, open.heapBytes / 1024);
        System.out.printf(Locale.ROOT, "JVM RSS: %.0f KiB per session (base %d KiB, open %d KiB)%n",
                rssPer, base.rssKb, open.rssKb);
        System.out.printf(Locale.ROOT, "agent processes: %.0f KiB RSS per session (%d processes)%n",
                agentsPer, open.children);
        System.out.printf(Locale.ROOT, "%d turns over %d sessions in %.2f s: %.1f turns/s%n",
                turns, sessions, turnSeconds, turns / turnSeconds);
        System.out.printf(Locale.ROOT, "BENCH_METRICS {\"driver\":\"%s\",\"sessions\":%d,\"open_seconds\":%.3f,"
                        + "\"heap_kib_per_session\":%.1f,\"jvm_rss_kib_per_session\":%.1f,"
                        + "\"agent_rss_kib_per_session\":%.1f,\"base_rss_kib\":%d,\"turns\":%d,"
                        + "\"turns_per_second\":%.2f}%n",
                driver.getClass().getSimpleName(), sessions, openSeconds, heapPer, rssPer, agentsPer, base.rssKb,
                turns, turns / turnSeconds);
    }

    /** Heap in use after a full GC, this JVM's RSS, and the RSS of its child processes. */
    private record Memory(long heapBytes, long rssKb, long childrenRssKb, int children) {
        static Memory sample() {
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long kids = 0;
            int count = 0;
            for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
                kids += rssKb(p.pid());
                count++;
            }
            return new Memory(heap, rssKb(ProcessHandle.current().pid()), kids, count);
        }

        static long rssKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (java.io.IOException | NumberFormatException e) {
                // the process ended between listing and reading: it holds no memory
            }
            return 0;
        }
    }
}
