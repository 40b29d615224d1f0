package dev.acpx.api.flow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A shell action (the Node acpx's {@code ShellActionExecution}): {@code command} with {@code args},
 * run directly or, with {@code shell}, as {@code sh -c "command args..."}. {@code cwd} is resolved against
 * the run's cwd; {@code env} is merged over acpx's environment; {@code stdin} is written and closed;
 * {@code timeout} null takes the node's remaining time, zero none; {@code maxBufferBytes} caps each captured
 * stream (0 = 8 MiB). The process runs as its own process group and the whole group ends on timeout,
 * cancel, or the run's death (even a {@code kill -9} of the run: acpx's watchdog ends it).
 */
public record ShellSpec(String command, List<String> args, String cwd, Map<String, String> env, String stdin,
                        boolean shell, boolean allowNonZeroExit, Duration timeout, long maxBufferBytes) {
    public ShellSpec {
        Objects.requireNonNull(command, "command");
        if (command.isBlank()) {
            throw new IllegalArgumentException("shell command must not be empty");
        }
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("shell timeout must not be negative, got " + timeout);
        }
        if (maxBufferBytes < 0) {
            throw new IllegalArgumentException("maxBufferBytes must not be negative");
        }
    }

    public static ShellSpec of(String command, String... args) {
        return new ShellSpec(command, List.of(args), null, null, null, false, false, null, 0);
    }

    /** {@code sh -c script}. */
    public static ShellSpec sh(String script) {
        return of("sh", "-c", script);
    }

    public ShellSpec withCwd(String cwd) {
        return new ShellSpec(command, args, cwd, env, stdin, shell, allowNonZeroExit, timeout, maxBufferBytes);
    }

    public ShellSpec withEnv(Map<String, String> env) {
        return new ShellSpec(command, args, cwd, env, stdin, shell, allowNonZeroExit, timeout, maxBufferBytes);
    }

    public ShellSpec withStdin(String stdin) {
        return new ShellSpec(command, args, cwd, env, stdin, shell, allowNonZeroExit, timeout, maxBufferBytes);
    }

    public ShellSpec allowingNonZeroExit() {
        return new ShellSpec(command, args, cwd, env, stdin, shell, true, timeout, maxBufferBytes);
    }

    public ShellSpec withTimeout(Duration timeout) {
        return new ShellSpec(command, args, cwd, env, stdin, shell, allowNonZeroExit, timeout, maxBufferBytes);
    }
}
