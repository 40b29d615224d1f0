package dev.acpx.core.lifecycle;

/** Child process for tests: prints the start instant another JVM reads for a pid. */
public final class StartInstantMain {
    public static void main(String[] args) {
        System.out.println(ProcessHandle.of(Long.parseLong(args[0])).orElseThrow().info().startInstant().orElseThrow());
    }
}
