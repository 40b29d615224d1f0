package dev.acpx.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * acpx-core as a named module: a host on the class path reaches it through the exported API only,
 * the runtime is found through the service the module provides, and Jackson (a module too) can bind
 * the protocol types of a real turn (the packages are opened to it). A child JVM, so that the module
 * path is real.
 */
@Timeout(180)
class ModulePathTest {
    @TempDir
    Path home;

    @Test
    void aClassPathHostUsesTheModuleThroughItsApiAndItsService() throws Exception {
        Path classes = Path.of("target/classes");
        assertTrue(Files.exists(classes.resolve("module-info.class")), "no module-info.class in " + classes);
        List<String> jackson = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("jackson")).toList();
        assertTrue(jackson.size() >= 2, "Jackson jars not on the test class path: " + jackson);
        List<String> modulePath = new ArrayList<>(jackson);
        modulePath.addFirst(classes.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "dev.acpx.core", "-cp", "target/test-classes", ModulePathProbe.class.getName(),
                home.toString()));
        String testEnv = System.getProperty("acpx.testEnv", "");
        Path agent = Path.of(testEnv, "mock-agent", "agent.mjs");
        boolean withAgent = !testEnv.isBlank() && Files.isDirectory(agent.getParent().resolve("node_modules"));
        if (withAgent) {
            cmd.add("node " + agent);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe did not end: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("module dev.acpx.core\n"), out);
        assertTrue(out.contains("exports api true\n"), out);
        assertTrue(out.contains("exports runtime false\n"), out);
        assertTrue(out.contains("exports api.flow true\n"), out);
        assertTrue(out.contains("flow completed {one=1}\n"), out);
        assertTrue(out.contains("policy [read]\n"), out);
        if (withAgent) {
            assertTrue(out.contains("exec end_turn from the module path"), out);
        }
    }
}
