package dev.acpx.e2e;

import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Helpers for tests that embed the runtime in this JVM against the shared mock agent. */
final class EmbeddedHost {
    private EmbeddedHost() {}

    /** A runtime on {@code acpx}'s temp HOME whose agents carry the test marker. */
    static AcpxRuntime.Builder runtime(Acpx acpx) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(acpx.env);
        return AcpxRuntime.builder().userHome(acpx.home).environment(env);
    }

    static AgentRef mockAgent(AcpxRuntime runtime, Acpx acpx) {
        return runtime.resolveAgent(Acpx.mockAgent(), true, acpx.cwd);
    }

    /**
     * Descendants of this JVM still alive after waiting up to {@code limit} for them to go, leaving
     * out those that carry another test's marker: this JVM is a child subreaper once a runtime runs
     * in it, so a queue owner an earlier CLI test left to its TTL is re-parented here and is not
     * this test's leftover (it is named on stderr, so the leaking test can be found).
     */
    static List<String> descendantsLeft(Acpx acpx, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            List<String> left = new ArrayList<>();
            List<String> foreign = new ArrayList<>();
            ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).forEach(p -> {
                String line = p.pid() + " " + p.info().commandLine().orElse("?");
                String marker = Procs.markerOf(p.pid());
                (marker == null || marker.equals(acpx.marker) ? left : foreign).add(line);
            });
            if (left.isEmpty() || System.nanoTime() > end) {
                if (!foreign.isEmpty()) {
                    System.err.println("adopted processes of other tests (not counted): " + foreign);
                }
                return left;
            }
            Thread.sleep(50);
        }
    }

    /**
     * What this test's acpx JVMs (a daemon, queue owners) are doing, for a failure message: each
     * one's acpx threads, their state and top frames, from {@code jcmd Thread.print}.
     */
    static String acpxThreads(Acpx acpx) {
        StringBuilder out = new StringBuilder();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Thread.getAllStackTraces().forEach((t, frames) -> {
            if (t.getName().startsWith("acpx") || t.getName().startsWith("jsonrpc") || t.getName().startsWith("prompt-")) {
                out.append("\n[this JVM] \"").append(t.getName()).append("\" ").append(t.getState());
                for (int i = 0; i < Math.min(frames.length, 4); i++) {
                    out.append("\n  at ").append(frames[i]);
                }
            }
        });
        ProcessHandle.current().descendants().filter(p -> {
            String marker = Procs.markerOf(p.pid());
            return marker == null || marker.equals(acpx.marker);
        }).filter(p -> p.info().command().orElse("").endsWith("/java")).forEach(p -> {
                    out.append("\n[threads of ").append(p.pid()).append("]");
                    try {
                        Process j = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
                                .redirectErrorStream(true).start();
                        String dump = new String(j.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                        j.waitFor();
                        for (String thread : dump.split("\n\n")) {
                            String[] lines = thread.strip().split("\n");
                            if (lines[0].startsWith("\"acpx") || lines[0].startsWith("\"jsonrpc")) {
                                out.append("\n").append(lines[0].replaceFirst(" #.*", ""));
                                for (int i = 1; i < Math.min(lines.length, 5); i++) {
                                    out.append("\n  ").append(lines[i].strip());
                                }
                            }
                        }
                    } catch (IOException e) {
                        out.append(" jcmd failed: ").append(e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        return out.toString();
    }

    /** Problems with the one-shot records under HOME: any not closed, or closed without when and why. */
    static List<String> openOneShotRecords(Path home) throws IOException {
        List<String> bad = new ArrayList<>();
        Path dir = home.resolve(".acpx/sessions");
        if (!Files.isDirectory(dir)) {
            return bad;
        }
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                var r = mapper.readTree(f.toFile());
                if (!"oneshot".equals(r.path("mode").asText())) {
                    continue;
                }
                if (!r.path("closed").asBoolean(false) || r.path("closed_at").isNull()
                        || r.path("closed_at").isMissingNode() || r.path("closed_reason").asText("").isEmpty()) {
                    bad.add(f.getFileName() + ": closed=" + r.path("closed") + " closed_at=" + r.path("closed_at")
                            + " closed_reason=" + r.path("closed_reason"));
                }
            }
        }
        return bad;
    }

    static long count(Path home, String mode) throws IOException {
        Path dir = home.resolve(".acpx/sessions");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        try (var files = Files.list(dir)) {
            long n = 0;
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                if (mode.equals(mapper.readTree(f.toFile()).path("mode").asText())) {
                    n++;
                }
            }
            return n;
        }
    }
}
