package dev.acpx.api.flow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a shell action ended (the Node acpx's {@code ShellActionResult}, plus {@code timedOut}): exactly
 * one of {@code exitCode} and {@code signal} is set.
 */
public record ShellResult(String command, List<String> args, String cwd, String stdout, String stderr,
                          String combinedOutput, Integer exitCode, String signal, long durationMs, boolean timedOut) {
    public ShellResult {
        args = List.copyOf(args);
    }

    /** The result as the node's JSON output. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("args", args);
        m.put("cwd", cwd);
        m.put("stdout", stdout);
        m.put("stderr", stderr);
        m.put("combinedOutput", combinedOutput);
        m.put("exitCode", exitCode);
        m.put("signal", signal);
        m.put("durationMs", durationMs);
        return m;
    }
}
