package dev.acpx.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/acpx} as a subprocess with its own temp HOME. Every process it starts
 * inherits {@code ACPX_TEST_MARKER}, so {@link Procs} can find anything left behind.
 */
final class Acpx {
    static final Path REPO = Path.of(System.getProperty("acpx.repo", "..")).toAbsolutePath().normalize();
    static final Path TEST_ENV = Path.of(System.getProperty("acpx.testEnv", REPO.resolve(".test-env").toString()));
    static final Path MOCK_AGENT = TEST_ENV.resolve("mock-agent/agent.mjs");

    final Path home;
    final Path cwd;
    final String marker = "acpx-e2e-" + UUID.randomUUID();
    final Map<String, String> env = new HashMap<>();
    /** Where run() keeps each command's stdout and stderr; a test whose HOME is full or read-only moves it. */
    Path outputDir;

    Acpx(Path root) throws IOException {
        this.home = Files.createDirectories(root.resolve("home"));
        this.cwd = Files.createDirectories(root.resolve("work"));
        this.outputDir = home;
        env.put("HOME", home.toString());
        env.put("ACPX_TEST_MARKER", marker);
        env.put("MOCK_AGENT_STATE", root.resolve("mock-state").toString());
        // A per-user daemon (when a test turns it on) leaves soon after its last command, not after
        // the 300 s that keep it warm for a person: each test checks that nothing of its HOME is left.
        env.put("ACPX_DAEMON_IDLE", "3");
        if (DAEMON) {
            env.put("ACPX_DAEMON", "1");
            // Tests written for a process per command give leftovers a few seconds at most.
            env.put("ACPX_DAEMON_IDLE", "1");
        }
    }

    /** The suite's second pass (acpx-e2e/pom.xml, execution daemon-e2e): every command through the daemon. */
    static final boolean DAEMON = Boolean.getBoolean("acpx.e2e.daemon");

    /**
     * Skips a test in the daemon pass when what it checks is a property of per-command or
     * per-session processes (an owner's pid, RSS, environment or command line, a remount of HOME
     * with nothing of acpx running): one warm daemon holding every session changes that by design.
     * {@code what} says what the test inspects; the default pass still runs it.
     */
    static void assumeOwnProcesses(String what) {
        org.junit.jupiter.api.Assumptions.assumeFalse(DAEMON, "daemon pass: this test inspects " + what);
    }

    /** The raw command that starts the shared mock agent. */
    static String mockAgent() {
        return "node " + MOCK_AGENT;
    }

    /** The command line that runs a test agent's {@code main} on this JVM's java and test classes. */
    static String javaAgent(Class<?> main) {
        try {
            Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Path.of(System.getProperty("java.home"), "bin", "java") + " -cp " + classes + " " + main.getName();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    Result run(String... args) throws Exception {
        return run(null, Duration.ofSeconds(60), args);
    }

    Result run(String stdin, Duration limit, String... args) throws Exception {
        Process p = start(stdin, args);
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("acpx did not finish within " + limit + ": " + String.join(" ", args));
        }
        return new Result(p.exitValue(), read(p, "out"), read(p, "err"));
    }

    private final Map<Process, Path[]> outputs = new HashMap<>();

    Process start(String stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(REPO.resolve("bin/acpx").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(outputDir, "out", ".txt");
        Path err = Files.createTempFile(outputDir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        outputs.put(p, new Path[] {out, err});
        return p;
    }

    String read(Process p, String which) throws IOException {
        Path[] files = outputs.get(p);
        return Files.readString(which.equals("out") ? files[0] : files[1], StandardCharsets.UTF_8);
    }
}
