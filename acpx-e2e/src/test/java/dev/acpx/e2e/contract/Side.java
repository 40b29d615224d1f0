package dev.acpx.e2e.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One side of the comparison: a CLI (the Node acpx 0.19.1 or ours) with its own fresh HOME,
 * project folder and mock-agent state. Every process it starts carries {@code ACPX_TEST_MARKER}
 * so whatever outlives the suite can be found and reported.
 */
final class Side {
    final String label;
    final List<String> launcher;
    final Path home;
    final Path project;
    final Map<String, String> env = new HashMap<>();

    Side(String label, List<String> launcher, Path root, String marker) throws IOException {
        this.label = label;
        this.launcher = launcher;
        this.home = Files.createDirectories(root.resolve("home"));
        this.project = Files.createDirectories(home.resolve("project"));
        env.put("HOME", home.toString());
        env.put("MOCK_AGENT_STATE", root.resolve("mock-state").toString());
        env.put("ACPX_TEST_MARKER", marker);
        env.put("NO_COLOR", "1");
        // A build without the start-up cache (-Dacpx.skipTraining) must not train it inside a timed step.
        env.put("ACPX_NO_TRAIN", "1");
    }

    /** Registers the shared mock agent under the name {@code mock}, as SPEC-P2's samples do. */
    Side withMockAgent(String command, String extraConfig) throws IOException {
        Path dir = Files.createDirectories(home.resolve(".acpx"));
        Files.writeString(dir.resolve("config.json"), "{\"agents\":{\"mock\":{\"command\":"
                + com.fasterxml.jackson.databind.node.TextNode.valueOf(command) + "}}" + extraConfig + "}\n");
        return this;
    }

    record Result(int code, String out, String err) {}

    Result run(List<String> args, Duration limit) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(home, ".out", ".txt");
        Path err = Files.createTempFile(home, ".err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(label + " did not finish within " + limit + ": " + String.join(" ", args));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
