package dev.acpx.core.engine.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the built-in {@code demo} agent starts: a JVM on this process's classpath, tuned like the
 * CLI (C1, SerialGC, and the launcher's AOT cache when there is one, from {@code ACPX_*}).
 */
public final class DemoAgentLauncher {
    public static final String MAIN_CLASS = "dev.acpx.demo.DemoAgent";

    private DemoAgentLauncher() {}

    /**
     * The JVM that runs a queue owner: long-lived and mostly idle, so a small heap that is given
     * back, one compiler thread, and the launcher's AOT cache for a quick start.
     */
    public static List<String> ownerJvm(Map<String, String> env) {
        // A bounded heap as in the CLI (bin/acpx): the owner also holds its record, whose history may
        // carry turns of many megabytes. ACPX_JAVA_OPTS goes last and wins.
        List<String> argv = new ArrayList<>(List.of(java(env), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-Xss512k", "-Xms4m", "-Xmx256m", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30", "-XX:ReservedCodeCacheSize=24m", "-XX:CICompilerCount=1",
                // The owner adopts its agent's orphans as a subreaper (dev.acpx.core.os.Kernel).
                "--enable-native-access=ALL-UNNAMED", "-Xlog:disable", "-Xlog:all=warning:stderr"));
        String cache = env.get("ACPX_AOT_CACHE");
        if (cache != null && !cache.isBlank()) {
            argv.add("-XX:AOTCache=" + cache);
        }
        String extra = env.get("ACPX_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            argv.addAll(List.of(extra.trim().split("\\s+")));
        }
        argv.addAll(List.of("-cp", env.getOrDefault("ACPX_JAR", System.getProperty("java.class.path"))));
        return argv;
    }

    private static String java(Map<String, String> env) {
        return env.getOrDefault("ACPX_JAVA", ProcessHandle.current().info().command().orElse("java"));
    }

    public static List<String> argv(Map<String, String> env) {
        String java = env.getOrDefault("ACPX_JAVA",
                ProcessHandle.current().info().command().orElse("java"));
        String classpath = env.getOrDefault("ACPX_JAR", System.getProperty("java.class.path"));
        List<String> argv = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=warning:stderr"));
        String cache = env.get("ACPX_AOT_CACHE");
        if (cache != null && !cache.isBlank()) {
            argv.add("-XX:AOTCache=" + cache);
        }
        argv.addAll(List.of("-cp", classpath, MAIN_CLASS));
        return argv;
    }
}
