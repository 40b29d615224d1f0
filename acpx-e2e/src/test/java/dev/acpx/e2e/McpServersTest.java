package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC-P2 §7: MCP servers from {@code --mcp-config}, the project {@code .acpxrc.json} or the global
 * {@code ~/.acpx/config.json} (first match wins), their wire shapes in {@code session/new},
 * {@code session/load} (and reconnects), and every validation message. The agent is
 * {@link RecordingAgent}.
 */
class McpServersTest {
    @TempDir
    Path tmp;
    Acpx acpx;
    Recorded rec;
    String agent;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        rec = Recorded.install(acpx, tmp);
        agent = Recorded.agentCommand();
    }

    @AfterEach
    void nothingLeft() throws Exception {
        acpx.run("--agent", agent, "sessions", "close");
        List<String> left = Procs.awaitNone(acpx.marker, 5000);
        assertTrue(left.isEmpty(), "processes left behind: " + left);
    }

    private static final String INPUT = """
            {"mcpServers":[
              {"name":" proj-http ","type":"http","url":"https://example.com/mcp",
               "headers":[{"name":"Authorization","value":"Bearer t"}]},
              {"name":"plain","command":"srv"},
              {"name":"full","type":"stdio","command":" node ","args":["a","b"],
               "env":[{"name":"K","value":""}],"_meta":{"x":1}},
              {"name":"events","type":"sse","url":"http://localhost:1/sse","_meta":null}],
             "other":"ignored"}""";
    private static final String WIRE = "[{\"type\":\"http\",\"name\":\"proj-http\",\"url\":\"https://example.com/mcp\","
            + "\"headers\":[{\"name\":\"Authorization\",\"value\":\"Bearer t\"}]},"
            + "{\"name\":\"plain\",\"command\":\"srv\",\"args\":[],\"env\":[]},"
            + "{\"name\":\"full\",\"command\":\"node\",\"args\":[\"a\",\"b\"],\"env\":[{\"name\":\"K\",\"value\":\"\"}],"
            + "\"_meta\":{\"x\":1}},"
            + "{\"type\":\"sse\",\"name\":\"events\",\"url\":\"http://localhost:1/sse\",\"headers\":[],\"_meta\":null}]";

    @Test
    void mcpConfigShapesEveryKindOnTheWire() throws Exception {
        Files.writeString(acpx.cwd.resolve("mcp.json"), INPUT);
        Acpx.Result r = acpx.run("--agent", agent, "--mcp-config", "mcp.json", "exec", "hi");
        assertEquals(0, r.code(), r::toString);
        JsonNode sent = rec.params("session/new").getFirst();
        assertEquals(rec.json(WIRE), sent.get("mcpServers"));
        // key order too: the request is as the Node acpx writes it
        assertTrue(Files.readString(rec.log).contains(WIRE), () -> "key order differs: " + sent);
    }

    @Test
    void theNodeAcpxSendsTheSameSessionNewAndTheSameMethods() throws Exception {
        Path node = Acpx.TEST_ENV.resolve("node-acpx/node_modules/.bin/acpx");
        assertTrue(Files.isExecutable(node), "bin/test installs the Node acpx 0.19.1 at " + node);
        Files.writeString(acpx.cwd.resolve("mcp.json"), INPUT);
        String[] args = {"--agent", agent, "--model", "b", "--allowed-tools", "Read,Grep", "--max-turns", "3",
            "--append-system-prompt", "Be terse", "--mcp-config", "mcp.json", "exec", "hi"};
        assertEquals(0, acpx.run(args).code());
        List<JsonNode> ours = rec.params("session/new");
        List<String> ourMethods = rec.methods();
        Path nodeHome = Files.createDirectories(tmp.resolve("node-home"));
        Path nodeLog = tmp.resolve("node-agent-log.ndjson");
        List<String> cmd = new java.util.ArrayList<>(List.of(node.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(acpx.cwd.toFile())
                .redirectOutput(tmp.resolve("node.out").toFile()).redirectError(tmp.resolve("node.err").toFile());
        pb.environment().putAll(acpx.env);
        pb.environment().put("HOME", nodeHome.toString());
        pb.environment().put("REC_AGENT_LOG", nodeLog.toString());
        pb.environment().put("REC_AGENT_STATE", tmp.resolve("node-agent-state").toString());
        Process p = pb.start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("the Node acpx did not finish within 120 s");
        }
        assertEquals(0, p.exitValue(), () -> "node acpx: " + read(tmp.resolve("node.err")));
        Recorded theirs = new Recorded(nodeLog);
        assertEquals(theirs.params("session/new"), ours);
        assertEquals(theirs.methods(), ourMethods);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void firstSourceWinsMcpConfigThenProjectThenGlobal() throws Exception {
        Path global = Files.createDirectories(acpx.home.resolve(".acpx")).resolve("config.json");
        Files.writeString(global, "{\"mcpServers\":[{\"name\":\"global\",\"command\":\"g\"}]}");
        assertEquals(0, acpx.run("--agent", agent, "exec", "hi").code());
        Files.writeString(acpx.cwd.resolve(".acpxrc.json"), "{\"mcpServers\":[{\"name\":\"project\",\"command\":\"p\"}]}");
        assertEquals(0, acpx.run("--agent", agent, "exec", "hi").code());
        Files.writeString(acpx.cwd.resolve("mine.json"), "{\"mcpServers\":[]}");
        assertEquals(0, acpx.run("--agent", agent, "--mcp-config", "mine.json", "exec", "hi").code());
        Files.writeString(acpx.cwd.resolve(".acpxrc.json"), "{\"format\":\"text\"}");
        assertEquals(0, acpx.run("--agent", agent, "exec", "hi").code());
        assertEquals(List.of("[global]", "[project]", "[]", "[global]"), rec.params("session/new").stream()
                .map(p -> p.get("mcpServers").findValuesAsText("name").toString()).toList());
    }

    @Test
    void persistentSessionsSendThemOnNewAndLoadAndTheOwnerReadsMcpConfig() throws Exception {
        Acpx.assumeOwnProcesses("that no process is left once the owner exits (the daemon stays)");
        Files.writeString(acpx.cwd.resolve("mcp.json"), INPUT);
        assertEquals(0, acpx.run("--agent", agent, "--mcp-config", "mcp.json", "sessions", "new").code());
        Acpx.Result p = acpx.run("--agent", agent, "--mcp-config", "mcp.json", "prompt", "hi");
        assertEquals(0, p.code(), p::toString);
        assertEquals(rec.json(WIRE), rec.params("session/new").getFirst().get("mcpServers"));
        List<JsonNode> loads = rec.params("session/load");
        assertEquals(1, loads.size(), () -> rec.methods().toString());
        assertEquals(rec.json(WIRE), loads.getFirst().get("mcpServers"));
        // the secret header value is never on an owner's command line
        List<String> running = Procs.withMarker(acpx.marker);
        assertTrue(running.stream().anyMatch(c -> c.contains("--mcp-config")), running::toString);
        for (String cmd : running) {
            assertFalse(cmd.contains("Bearer t"), cmd);
        }
    }

    @Test
    void aWarmOwnerRefusesAnotherMcpConfig() throws Exception {
        Path file = acpx.cwd.resolve("mcp.json");
        Files.writeString(file, INPUT);
        assertEquals(0, acpx.run("--agent", agent, "sessions", "new").code());
        Acpx.Result first = acpx.run("--agent", agent, "--mcp-config", "mcp.json", "prompt", "one");
        assertEquals(0, first.code(), first::toString);
        Acpx.Result same = acpx.run("--agent", agent, "--mcp-config", "./mcp.json", "prompt", "two");
        assertEquals(0, same.code(), same::toString);
        String conflict = "Session queue owner uses a different MCP config; close the session before retrying\n";
        Acpx.Result none = acpx.run("--agent", agent, "prompt", "three");
        assertEquals(1, none.code(), none::toString);
        assertEquals(conflict, afterBanner(none.err()), none::toString);
        Files.writeString(file, "{\"mcpServers\":[]}");
        Acpx.Result changed = acpx.run("--agent", agent, "--mcp-config", "mcp.json", "prompt", "four");
        assertEquals(1, changed.code(), changed::toString);
        assertEquals(conflict, afterBanner(changed.err()), changed::toString);
        assertEquals(2, rec.params("session/prompt").size(), "refused prompts never reach the agent");
    }

    /** The prompt's stderr after its session line (the Node acpx prints it before it reaches the owner). */
    private static String afterBanner(String err) {
        assertTrue(err.startsWith("[acpx] session "), err);
        return err.substring(err.indexOf('\n') + 1);
    }

    @Test
    void aMissingMcpConfigFailsEveryCommand() throws Exception {
        Path missing = acpx.cwd.resolve("nope.json");
        for (String[] command : new String[][] {{"config", "show"}, {"--agent", agent, "exec", "hi"}}) {
            String[] args = new String[command.length + 2];
            args[0] = "--mcp-config";
            args[1] = "nope.json";
            System.arraycopy(command, 0, args, 2, command.length);
            Acpx.Result r = acpx.run(args);
            assertEquals(1, r.code(), r::toString);
            assertEquals("MCP config file not found: " + missing + "\n", r.err(), r::toString);
        }
        assertFalse(Files.exists(rec.log), "no agent started");
    }

    @Test
    void everyValidationMessage() throws Exception {
        Path rc = acpx.cwd.resolve(".acpxrc.json");
        String[][] cases = {
            {"{}", "{\"mcpServers\":{}}", "Invalid mcpServers in %s: expected array"},
            {"1", "{\"mcpServers\":[1]}", "Invalid mcpServers[0] in %s: expected object"},
            {"name", "{\"mcpServers\":[{\"command\":\"x\"}]}", "Invalid mcpServers[0] in %s.name: expected non-empty string"},
            {"blank name", "{\"mcpServers\":[{\"name\":\" \",\"command\":\"x\"}]}", "Invalid mcpServers[0] in %s.name: expected non-empty string"},
            {"type", "{\"mcpServers\":[{\"name\":\"n\",\"type\":\"ws\"}]}", "Invalid mcpServers[0] in %s.type: expected http, sse, or stdio"},
            {"type num", "{\"mcpServers\":[{\"name\":\"n\",\"type\":1}]}", "Invalid mcpServers[0] in %s.type: expected non-empty string"},
            {"url", "{\"mcpServers\":[{\"name\":\"n\",\"type\":\"http\"}]}", "Invalid mcpServers[0] in %s.url: expected non-empty string"},
            {"command", "{\"mcpServers\":[{\"name\":\"n\"}]}", "Invalid mcpServers[0] in %s.command: expected non-empty string"},
            {"args", "{\"mcpServers\":[{\"name\":\"n\",\"command\":\"c\",\"args\":\"a\"}]}", "Invalid mcpServers[0] in %s.args: expected array"},
            {"arg", "{\"mcpServers\":[{\"name\":\"n\",\"command\":\"c\",\"args\":[1]}]}", "Invalid mcpServers[0] in %s.args[0]: expected string"},
            {"env name", "{\"mcpServers\":[{\"name\":\"n\",\"command\":\"c\",\"env\":[{\"value\":\"v\"}]}]}", "Invalid mcpServers[0] in %s.env[0].name: expected non-empty string"},
            {"env value", "{\"mcpServers\":[{\"name\":\"n\",\"command\":\"c\",\"env\":[{\"name\":\"K\"}]}]}", "Invalid mcpServers[0] in %s.env[0].value: expected string"},
            {"env obj", "{\"mcpServers\":[{\"name\":\"n\",\"command\":\"c\",\"env\":[\"K=v\"]}]}", "Invalid mcpServers[0] in %s.env[0]: expected object"},
            {"headers", "{\"mcpServers\":[{\"name\":\"n\",\"type\":\"sse\",\"url\":\"u\",\"headers\":{}}]}", "Invalid mcpServers[0] in %s.headers: expected array"},
            {"meta", "{\"mcpServers\":[{\"name\":\"n\",\"command\":\"c\",\"_meta\":[]}]}", "Invalid mcpServers[0] in %s._meta: expected object or null"},
            {"second", "{\"mcpServers\":[{\"name\":\"n\",\"command\":\"c\"},{\"name\":\"m\"}]}", "Invalid mcpServers[1] in %s.command: expected non-empty string"},
        };
        for (String[] c : cases) {
            Files.writeString(rc, c[1]);
            Acpx.Result r = acpx.run("config", "show");
            assertEquals(1, r.code(), () -> c[0] + ": " + r);
            assertEquals(c[2].formatted(rc) + "\n", r.err(), () -> c[0] + ": " + r);
        }
        Files.delete(rc);
        Path file = acpx.cwd.resolve("m.json");
        Files.writeString(file, "{\"servers\":[]}");
        Acpx.Result r = acpx.run("--mcp-config", "m.json", "config", "show");
        assertEquals(1, r.code(), r::toString);
        assertEquals("Invalid mcpServers in " + file + ": expected array\n", r.err(), r::toString);
        Acpx.Result json = acpx.run("--format", "json", "--mcp-config", "m.json", "config", "show");
        assertEquals(1, json.code(), json::toString);
        assertEquals("Invalid mcpServers in " + file + ": expected array",
                rec.json(json.out().strip()).path("error").path("message").asText(), json::toString);
    }
}
