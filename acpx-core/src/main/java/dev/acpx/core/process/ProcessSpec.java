package dev.acpx.core.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to start: argv, working directory, environment changes on top of this JVM's environment, and where
 * stderr goes. Stdin and stdout are always pipes.
 *
 * @param environment   variables to set (override inherited ones)
 * @param removeEnvironment names to drop from the inherited environment (applied before {@code environment})
 * @param outliveJvm    when true the process is not registered with the watchdog: it keeps running after
 *                      this JVM exits (for detached queue owners); it still gets its own session
 */
public record ProcessSpec(List<String> argv, Path cwd, Map<String, String> environment,
                          Set<String> removeEnvironment, StderrMode stderr, boolean outliveJvm) {

    public ProcessSpec {
        argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new IllegalArgumentException("argv must name a program to run");
        }
        Objects.requireNonNull(cwd, "cwd");
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        removeEnvironment = Set.copyOf(removeEnvironment == null ? Set.of() : removeEnvironment);
        stderr = stderr == null ? new StderrMode.CaptureTail() : stderr;
    }

    /** argv in {@code cwd}, inherited environment, stderr tail captured. */
    public static ProcessSpec of(List<String> argv, Path cwd) {
        return new ProcessSpec(argv, cwd, Map.of(), Set.of(), new StderrMode.CaptureTail(), false);
    }

    /**
     * This spec run in exactly {@code caller}'s environment (plus {@link #environment()} on top):
     * what this JVM inherited beyond it is dropped. For a command the per-user daemon runs for a
     * caller, whose environment (credentials, PATH) is not the daemon's; in-process the two are the
     * same and nothing changes.
     */
    public ProcessSpec inEnvironmentOf(Map<String, String> caller) {
        java.util.Map<String, String> env = new java.util.HashMap<>(caller);
        env.putAll(environment);
        java.util.Set<String> drop = new java.util.HashSet<>(System.getenv().keySet());
        drop.removeAll(env.keySet());
        drop.addAll(removeEnvironment);
        return new ProcessSpec(argv, cwd, env, drop, stderr, outliveJvm);
    }

    public ProcessSpec withEnvironment(Map<String, String> env) {
        return new ProcessSpec(argv, cwd, env, removeEnvironment, stderr, outliveJvm);
    }

    public ProcessSpec withoutEnvironment(Set<String> names) {
        return new ProcessSpec(argv, cwd, environment, names, stderr, outliveJvm);
    }

    public ProcessSpec withStderr(StderrMode mode) {
        return new ProcessSpec(argv, cwd, environment, removeEnvironment, mode, outliveJvm);
    }

    public ProcessSpec withOutliveJvm(boolean outlive) {
        return new ProcessSpec(argv, cwd, environment, removeEnvironment, stderr, outlive);
    }
}
