package dev.acpx.e2e.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A pair of sides, the Node acpx 0.19.1 and ours, each in its own fresh home, that run the same
 * steps (at the same time, one process each) and must agree as {@link Verdict} says. Collects
 * every disagreement instead of stopping at the first, and counts the steps for the report.
 */
final class Contract implements AutoCloseable {
    static final Path REPO = Path.of(System.getProperty("acpx.repo", "..")).toAbsolutePath().normalize();
    static final Path TEST_ENV = Path.of(System.getProperty("acpx.testEnv", REPO.resolve(".test-env").toString()));
    static final Path MOCK_AGENT = TEST_ENV.resolve("mock-agent/agent.mjs");
    static final Path NODE_ACPX = TEST_ENV.resolve("node-acpx/node_modules/acpx/dist/cli.js");
    static final Duration STEP_LIMIT = Duration.ofSeconds(90);

    final String marker = "acpx-contract-" + UUID.randomUUID();
    final Side node;
    final Side ours;
    private final Verdict verdict = new Verdict();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    final List<String> failures = new ArrayList<>();
    int steps;
    int identical;
    int deliberate;

    Contract(Path root) throws IOException {
        node = new Side("node acpx 0.19.1", List.of("node", NODE_ACPX.toString()), Files.createDirectories(root.resolve("node")), marker);
        ours = new Side("ours", List.of(REPO.resolve("bin/acpx").toString()), Files.createDirectories(root.resolve("ours")), marker);
    }

    static String mockCommand() {
        return "node " + MOCK_AGENT;
    }

    Contract withMockAgent(String extraConfig) throws IOException {
        node.withMockAgent(mockCommand(), extraConfig);
        ours.withMockAgent(mockCommand(), extraConfig);
        return this;
    }

    static Step step(String... args) {
        return new Step(List.of(args));
    }

    /** Runs the step on both sides at once and records whether ours agrees. */
    void check(Step step) throws Exception {
        long started = System.nanoTime();
        Side.Result[] r = runBoth(step.args);
        long ms = (System.nanoTime() - started) / 1_000_000;
        Side.Result n = normalized(r[0], node);
        Side.Result o = normalized(r[1], ours);
        record(step, verdict.compare(step, n, o), ms);
    }

    private void record(Step step, List<String> problems, long ms) {
        steps++;
        System.out.println("[contract] " + (problems.isEmpty() ? "ok  " : "FAIL") + " " + ms + " ms  " + step);
        if (!problems.isEmpty()) {
            failures.add("step `" + step + "`: " + String.join("\n", problems));
            System.out.println(failures.get(failures.size() - 1));
        } else if (step.deviations.isEmpty()) {
            identical++;
        } else {
            deliberate++;
        }
    }

    /** A step running on both sides in the background (a turn to cancel); {@link #finish} compares it. */
    record Running(Step step, Future<Side.Result> node, Future<Side.Result> ours, ExecutorService pool) {}

    Running start(Step step) {
        ExecutorService background = Executors.newFixedThreadPool(2);
        return new Running(step, background.submit(() -> node.run(step.args, STEP_LIMIT)),
                background.submit(() -> ours.run(step.args, STEP_LIMIT)), background);
    }

    void finish(Running running) throws Exception {
        try {
            Side.Result n = normalized(running.node().get(), node);
            Side.Result o = normalized(running.ours().get(), ours);
            record(running.step(), verdict.compare(running.step(), n, o), -1);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw (Exception) e.getCause();
        } finally {
            running.pool().shutdownNow();
        }
    }

    /** A step both sides must run (to build up state) whose output is not compared. */
    void setUp(String... args) throws Exception {
        Side.Result[] r = runBoth(List.of(args));
        for (int i = 0; i < 2; i++) {
            if (r[i].code() != 0) {
                failures.add("set-up `" + String.join(" ", args) + "` failed on " + (i == 0 ? node : ours).label
                        + ": exit " + r[i].code() + "\n" + r[i].err());
            }
        }
    }

    /** Clean-up on both sides; its outcome is not part of the contract. */
    void tidy(String... args) throws Exception {
        runBoth(List.of(args));
    }

    private Side.Result[] runBoth(List<String> args) throws Exception {
        Future<Side.Result> n = pool.submit(() -> node.run(args, STEP_LIMIT));
        Future<Side.Result> o = pool.submit(() -> ours.run(args, STEP_LIMIT));
        try {
            return new Side.Result[] {n.get(), o.get()};
        } catch (ExecutionException e) {
            // an assertion in the worker thread must fail the test, not vanish
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw (Exception) e.getCause();
        }
    }

    private static Side.Result normalized(Side.Result r, Side side) {
        return new Side.Result(r.code(), Normalizer.apply(r.out(), side.home), Normalizer.apply(r.err(), side.home));
    }

    String summary(String name) {
        return "[contract] " + name + ": " + steps + " steps compared, " + identical + " identical, " + deliberate
                + " with a deliberate difference, " + failures.size() + " failing";
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
