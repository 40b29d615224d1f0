package dev.acpx.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The AOT training run (bin/acpx-train): runs the real commands once, in one JVM, against a
 * scratch HOME, so the cache holds the classes every command loads. Failures of single
 * commands do not matter here; only the classes they touched do.
 */
public final class Train {
    private Train() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path work = Files.createDirectories(home.resolve("work"));
        Files.writeString(work.resolve("README.md"), "training\n");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", home.toString());
        // The paths users time most take a raw --agent command (parsed, not looked up) and go
        // through sessions, a queue owner and a prompt: train those too, with the demo agent
        // started as a raw command line. The owner JVM is trained only on its caller's side.
        String java = ProcessHandle.current().info().command().orElse("java");
        String raw = java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " + System.getProperty("java.class.path")
                + " dev.acpx.demo.DemoAgent";
        String cwd = work.toString();
        List<String[]> commands = List.of(
                new String[] {"--help"},
                new String[] {"--version"},
                new String[] {"config", "show"},
                new String[] {"--format", "json", "config", "show"},
                new String[] {"--cwd", work.toString(), "--approve-all", "demo", "exec", "hello"},
                new String[] {"--cwd", work.toString(), "--approve-all", "--format", "json", "demo", "exec", "hello"},
                new String[] {"--cwd", work.toString(), "--approve-all", "--format", "quiet", "demo", "exec", "hello"},
                new String[] {"--cwd", work.toString(), "demo", "sessions", "list"},
                new String[] {"--cwd", work.toString(), "--format", "json", "demo", "sessions", "list", "--local"},
                new String[] {"--cwd", work.toString(), "demo", "status"},
                new String[] {"--bogus-flag"},
                new String[] {"--cwd", cwd, "--agent", raw, "exec", "echo hi"},
                new String[] {"--cwd", cwd, "--agent", raw, "sessions", "list"},
                new String[] {"--cwd", cwd, "--agent", raw, "status"},
                new String[] {"--cwd", cwd, "--agent", raw, "sessions", "new"},
                new String[] {"--cwd", cwd, "--agent", raw, "prompt", "echo warm"},
                new String[] {"--cwd", cwd, "--agent", raw, "prompt", "echo hi"},
                new String[] {"--cwd", cwd, "--agent", raw, "prompt", "--no-wait", "echo queued"},
                new String[] {"--cwd", cwd, "--agent", raw, "--format", "json", "prompt", "echo hi"},
                new String[] {"--cwd", cwd, "--agent", raw, "status"},
                new String[] {"--cwd", cwd, "--agent", raw, "sessions", "list"},
                new String[] {"--cwd", cwd, "--agent", raw, "sessions", "show"},
                new String[] {"--cwd", cwd, "--agent", raw, "sessions", "history"},
                new String[] {"--cwd", cwd, "--agent", raw, "--format", "json", "sessions", "list", "--local"},
                new String[] {"--cwd", cwd, "--agent", raw, "sessions", "close"});
        for (String[] command : commands) {
            run(command, env);
        }
        // Neither flows nor a fleet are trained: their classes (the JDBC driver's above all) would
        // sit in the cache every acpx process maps and preloads, queue owners included, for the
        // few runs that use them (docs/FLEET.md).
    }

    private static void run(String[] command, Map<String, String> env) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
        int code = new Cli(new ProcessCall(List.of(command), Path.of("").toAbsolutePath(), env,
                new ByteArrayInputStream(new byte[0]), ps, ps, false, false)).run();
        System.out.println(String.join(" ", command) + " -> " + code);
    }
}
