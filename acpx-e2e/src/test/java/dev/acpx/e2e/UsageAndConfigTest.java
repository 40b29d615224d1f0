package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every usage error exits 2 with one clear line and no stack trace; config errors name file and position. */
class UsageAndConfigTest {
    @TempDir
    Path tmp;
    Acpx acpx;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
    }

    private void usageError(String expectedFragment, String... args) throws Exception {
        Acpx.Result r = acpx.run(args);
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains(expectedFragment), "expected '" + expectedFragment + "' in: " + r);
        assertFalse(r.err().contains("\tat "), "stack trace printed: " + r);
        assertTrue(r.err().strip().lines().count() <= 2, "more than a line and a hint: " + r);
    }

    @Test
    void usageErrorsExit2WithOneLine() throws Exception {
        usageError("--bogus", "demo", "exec", "--bogus", "hi");
        usageError("mutually exclusive", "--approve-all", "--deny-all", "demo", "exec", "hi");
        usageError("--format must be one of", "--format", "yaml", "demo", "exec", "hi");
        usageError("--timeout must be 0.001 to 2147483.647 seconds, got '-1'", "--timeout", "-1", "demo", "exec", "hi");
        usageError("--timeout must be 0.001 to 2147483.647 seconds, got 'soon'", "--timeout", "soon", "demo", "exec",
                "hi");
        usageError("--ttl must be 0 (forever) or 0.001 to 2147483.647 seconds, got '-5'", "--ttl", "-5", "demo", "exec",
                "hi");
        usageError("--json-strict needs --format json", "--json-strict", "demo", "exec", "hi");
        usageError("Prompt from stdin is empty", "demo", "exec");
        usageError("not both", "--agent", "node x.mjs", "demo", "exec", "hi");
        usageError("is not a directory", "--cwd", tmp.resolve("nope").toString(), "demo", "exec", "hi");
        usageError("--non-interactive-permissions", "--non-interactive-permissions", "maybe", "demo", "exec", "hi");
        usageError("--auth-policy", "--auth-policy", "never", "demo", "exec", "hi");
        usageError("prompt file not found", "demo", "exec", "-f", "missing.txt");
        usageError("unknown config action", "config", "frobnicate");
        usageError("bad agent command", "--agent", "node 'unterminated", "exec", "hi");
    }

    @Test
    void helpAndVersion() throws Exception {
        Acpx.Result v = acpx.run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().matches("\\d+\\.\\d+\\.\\d+\\n"), v::toString);
        Acpx.Result h = acpx.run("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("Usage: acpx"), h::toString);
        Acpx.Result eh = acpx.run("exec", "--help");
        assertEquals(0, eh.code(), eh::toString);
        assertTrue(eh.out().contains("--file"), eh::toString);
    }

    @Test
    void malformedConfigNamesFileAndPosition() throws Exception {
        Files.createDirectories(acpx.home.resolve(".acpx"));
        Files.writeString(acpx.home.resolve(".acpx/config.json"), "{\n  \"defaultAgent\": \"demo\",\n  oops\n}\n");
        Acpx.Result r = acpx.run("demo", "exec", "hi");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("config.json:3:"), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
        Files.writeString(acpx.cwd.resolve(".acpxrc.json"), "{\"ttl\": \"abc\"}");
        Files.delete(acpx.home.resolve(".acpx/config.json"));
        r = acpx.run("demo", "exec", "hi");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains(".acpxrc.json") && r.err().contains("ttl"), r::toString);
    }

    @Test
    void configInitThenShowMergesLayers() throws Exception {
        Acpx.Result init = acpx.run("config", "init");
        assertEquals(0, init.code(), init::toString);
        assertTrue(Files.exists(acpx.home.resolve(".acpx/config.json")));
        Acpx.Result again = acpx.run("config", "init");
        assertEquals(0, again.code(), again::toString);
        assertTrue(again.out().startsWith("Config already exists: "), again::toString);
        Files.writeString(acpx.cwd.resolve(".acpxrc.json"), "{\"defaultAgent\": \"demo\", \"auth\": {\"k\": \"s3cret\"}}");
        Acpx.Result show = acpx.run("config", "show");
        assertEquals(0, show.code(), show::toString);
        JsonNode json = new ObjectMapper().readTree(show.out());
        assertEquals("demo", json.path("defaultAgent").asText(), show::toString);
        assertFalse(show.out().contains("s3cret"), "credential printed: " + show);
    }

    @Test
    void demoAgentFromConfigDefault() throws Exception {
        Files.writeString(acpx.cwd.resolve(".acpxrc.json"), "{\"defaultAgent\": \"demo\"}");
        Files.writeString(acpx.cwd.resolve("README.md"), "demo readme line\n");
        Acpx.Result r = acpx.run("--approve-all", "exec", "hello demo");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("hello demo"), r::toString);
        assertTrue(r.out().contains("[thinking]"), r::toString);
        assertTrue(r.out().contains("[plan]"), r::toString);
        assertTrue(r.out().contains("demo readme line"), r::toString);
        assertTrue(r.out().contains("hello from the demo terminal"), r::toString);
        assertTrue(Files.exists(acpx.cwd.resolve("acpx-demo.txt")));
        assertTrue(r.out().contains("[done] end_turn"), r::toString);
    }

    @Test
    void jsonStrictPrintsOnlyProtocolLines() throws Exception {
        Acpx.Result r = acpx.run("--format", "json", "--json-strict", "--approve-all", "demo", "exec", "hi");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err(), r::toString);
        ObjectMapper m = new ObjectMapper();
        for (String line : r.out().split("\n")) {
            JsonNode n = m.readTree(line);
            assertEquals("2.0", n.path("jsonrpc").asText(), line);
        }
        assertTrue(r.out().contains("\"method\":\"initialize\""), r::toString);
        assertTrue(r.out().contains("\"stopReason\":\"end_turn\""), r::toString);
    }

    @Test
    void suppressReadsHidesFileContents() throws Exception {
        Files.writeString(acpx.cwd.resolve("secret.txt"), "the hidden content\n");
        for (String format : new String[] {"text", "json"}) {
            Acpx.Result r = acpx.run("--format", format, "--suppress-reads", "--agent", Acpx.mockAgent(),
                    "exec", "read secret.txt");
            assertEquals(0, r.code(), r::toString);
            String withoutAnswer = r.out().replace("\"text\":\"the hidden content\\n\"", "");
            assertTrue(r.out().contains("[read output suppressed]"), format + ": " + r);
            if (format.equals("json")) {
                assertFalse(r.out().contains("\"content\":\"the hidden content"), r::toString);
            } else {
                assertFalse(withoutAnswer.contains("output:\n    the hidden content"), r::toString);
            }
        }
    }

    @Test
    void jsonErrorObjectOnFailure() throws Exception {
        Acpx.Result r = acpx.run("--format", "json", "--agent", Acpx.mockAgent(), "exec", "crash");
        assertEquals(1, r.code(), r::toString);
        String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
        JsonNode err = new ObjectMapper().readTree(last);
        assertEquals(-32603, err.path("error").path("code").asInt(), r::toString);
        assertTrue(err.path("error").path("message").asText().contains("exit code 3"), r::toString);
    }
}
