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
        List<String[]> commands = List.of(
                new String[] {"--help"},
                new String[] {"--version"},
                new String[] {"config", "show"},
                new String[] {"--format", "json", "config", "show"},
                new String[] {"--cwd", work.toString(), "--approve-all", "demo", "exec", "hello"},
                new String[] {"--cwd", work.toString(), "--approve-all", "--format", "json", "demo", "exec", "hello"},
                new String[] {"--cwd", work.toString(), "--approve-all", "--format", "quiet", "demo", "exec", "hello"},
                new String[] {"--cwd", work.toString(), "demo", "sessions", "list"},
                new String[] {"--cwd", work.toString(), "--format", "json", "demo", "sessions", "list"},
                new String[] {"--cwd", work.toString(), "demo", "status"},
                new String[] {"--bogus-flag"});
        for (String[] command : commands) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
            int code = new Cli(new ByteArrayInputStream(new byte[0]), ps, ps, env).run(command);
            System.out.println(String.join(" ", command) + " -> " + code);
        }
    }
}
