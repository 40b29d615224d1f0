package dev.acpx.thin;

import dev.acpx.api.CommandLineWire;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the thin client needs of the full acpx jar ({@code ACPX_JAR}, set by bin/acpx): a JVM of it
 * that makes sure a daemon of this build serves the home (acpx-core's DaemonStarter: starting,
 * retiring one of another build, replacing a stuck one; racing clients start one), and, when no
 * daemon can be had, the command line itself, run in this process.
 */
final class DaemonLaunch {
    private DaemonLaunch() {}

    /** Runs the ensure step; true when a daemon answers now. Its messages go to the daemon log. */
    static boolean ensure(Map<String, String> env, Path acpxHome) {
        String java = env.get("ACPX_JAVA");
        String jar = env.get("ACPX_JAR");
        if (java == null || jar == null) {
            return false;
        }
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED", "-Xlog:disable"));
        String cache = env.get("ACPX_AOT_CACHE");
        if (cache != null && !cache.isBlank()) {
            command.add("-XX:AOTCache=" + cache);
        }
        command.addAll(List.of("-cp", jar, CommandLineWire.DAEMON_MAIN, CommandLineWire.DAEMON_ENSURE_FLAG,
                acpxHome.toString()));
        Path log = acpxHome.resolve("daemon").resolve("daemon.log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(Files.isDirectory(log.getParent()) ? ProcessBuilder.Redirect.appendTo(log.toFile())
                        : ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = pb.start();
            // The ensure JVM waits at most 30 s itself (a stuck daemon counts as stuck after 20 s).
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The full command line in this JVM, as bin/acpx would have run it; does not return. */
    static void runInProcess(Map<String, String> env, String[] args) {
        String jar = env.get("ACPX_JAR");
        if (jar == null) {
            System.err.println("acpx: no acpx daemon can be reached and ACPX_JAR is not set; run acpx through bin/acpx");
            Runtime.getRuntime().exit(1);
            return;
        }
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            Method main = loader.loadClass("dev.acpx.cli.Main").getMethod("main", String[].class);
            main.invoke(null, (Object) args);
        } catch (ReflectiveOperationException | java.io.IOException e) {
            System.err.println("acpx: cannot run the command line from " + jar + ": " + e);
            Runtime.getRuntime().exit(1);
        }
    }
}
