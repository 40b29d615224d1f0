package dev.acpx.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.core.acp.AcpClientConnection;
import dev.acpx.core.acp.PendingPrompt;
import dev.acpx.core.jsonrpc.Direction;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.jsonrpc.JsonRpcPeer;
import dev.acpx.core.jsonrpc.PeerListener;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.Implementation;
import dev.acpx.core.protocol.SessionUpdate;
import dev.acpx.core.protocol.StopReason;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every line our client and the demo agent put on the wire, captured from real conversations,
 * validated against the official ACP v1 JSON schema. Also our client against the Node mock agent
 * (built on the official SDK), so that what the client sends is checked against a second peer.
 */
@Timeout(60)
class SchemaConformanceTest {

    private static AcpSchema schema;
    private static Path mockAgentDir;

    @TempDir
    Path cwd;
    @TempDir
    Path state;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<AcpSchema.Line> wire = new CopyOnWriteArrayList<>();
    private final List<SessionUpdate> updates = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> peerProblems = new CopyOnWriteArrayList<>();
    private volatile String permission = "allow";
    private final List<RealClientHandler> handlers = new ArrayList<>();

    @BeforeAll
    static void loadSchema() throws IOException {
        schema = AcpSchema.vendored(new ObjectMapper());
    }

    /** The mock agent (for the conversation with a second, SDK-built peer), prepared by bin/test. */
    static void needMockAgent() {
        Optional<Path> dir = AcpSchema.locateMockAgent();
        String testEnv = System.getProperty("acpx.testEnv", "");
        if (dir.isEmpty() && !testEnv.isBlank() && Files.isDirectory(Path.of(testEnv))) {
            fail("bin/test prepared " + testEnv + " but the ACP schema is missing in it: delete "
                    + testEnv + "/mock-agent/node_modules and run bin/test again");
        }
        assumeTrue(dir.isPresent(), "the ACP schema is not installed: run bin/test (npm ci in the mock agent)");
        mockAgentDir = dir.get();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        handlers.forEach(RealClientHandler::killAll);
    }

    /** Records every line the client peer reads (agent's) and writes (client's). */
    private PeerListener recorder() {
        return new PeerListener() {
            @Override
            public void onMessage(Direction direction, String rawLine) {
                wire.add(new AcpSchema.Line(direction == Direction.OUT ? AcpSchema.Side.CLIENT : AcpSchema.Side.AGENT,
                        rawLine));
            }

            @Override
            public void onProblem(String description) {
                peerProblems.add(description);
            }
        };
    }

    private AcpClientConnection client(JsonRpcPeer peer) throws Exception {
        RealClientHandler handler = new RealClientHandler(updates, calls, () -> permission);
        handlers.add(handler);
        AcpClientConnection connection = new AcpClientConnection(peer, mapper, handler);
        toClose.add(connection);
        // What acpx itself offers, the ACP 2026 session and elicitation capabilities included.
        connection.initialize(dev.acpx.core.engine.agent.Capabilities.client(dev.acpx.api.ClientAccess.FULL),
                new Implementation("acpx-conformance", "acpx conformance test", "0.1.0"));
        return connection;
    }

    private AcpClientConnection demo() throws Exception {
        Socket agentSide;
        Socket clientSide;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            clientSide = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            agentSide = server.accept();
        }
        toClose.add(clientSide);
        toClose.add(agentSide);
        toClose.add(new DemoAgent(mapper, state).serve(agentSide.getInputStream(), agentSide.getOutputStream(),
                PeerListener.none()));
        return client(new JsonRpcPeer(clientSide.getInputStream(), clientSide.getOutputStream(), mapper, recorder(),
                1 << 20));
    }

    private void assertConforms(Set<String> requiredMethods) {
        assertTrue(wire.size() > 30, "only " + wire.size() + " lines were captured");
        List<String> problems = schema.check(wire);
        assertEquals(List.of(), problems, () -> problems.size() + " schema violations:\n" + String.join("\n", problems));
        assertEquals(List.of(), peerProblems);
        Set<String> seen = wire.stream().map(l -> {
            try {
                return mapper.readTree(l.json()).path("method").asText("");
            } catch (IOException e) {
                return "";
            }
        }).collect(Collectors.toSet());
        assertTrue(seen.containsAll(requiredMethods), "methods seen on the wire: " + seen);
    }

    @Test
    void clientAndDemoAgentSpeakSchemaValidAcp() throws Exception {
        Files.writeString(cwd.resolve("README.md"), "# Demo project\n");
        AcpClientConnection c = demo();
        String id = c.newSession(cwd.toString(), List.of()).sessionId();
        assertEquals(StopReason.END_TURN,
                c.prompt(id, List.of(ContentBlock.text("hello schema"))).await(Duration.ofSeconds(20)).stopReason());
        c.setMode(id, "plan");
        c.setConfigOption(id, "model", "demo-smart");
        assertThrows(JsonRpcException.class, () -> c.setConfigOption(id, "model", "no-such-model"));

        permission = "block";
        PendingPrompt pending = c.prompt(id, List.of(ContentBlock.text("cancel me")));
        while (calls.stream().filter("permission"::equals).count() < 2) {
            Thread.sleep(5);
        }
        c.cancel(id);
        assertEquals(StopReason.CANCELLED, pending.await(Duration.ofSeconds(20)).stopReason());
        c.close();

        AcpClientConnection again = demo();
        again.loadSession(id, cwd.toString(), List.of());
        assertThrows(JsonRpcException.class, () -> again.loadSession("no-such-session", cwd.toString(), List.of()));
        // The demo agent does not offer session/close; our request is checked all the same.
        assertThrows(JsonRpcException.class, () -> again.closeSession(id));

        assertTrue(calls.containsAll(List.of("read", "permission", "write", "create", "wait", "output", "release")),
                calls.toString());
        assertConforms(Set.of("initialize", "session/new", "session/prompt", "session/update", "fs/read_text_file",
                "fs/write_text_file", "session/request_permission", "terminal/create", "terminal/wait_for_exit",
                "terminal/output", "terminal/release", "session/set_mode", "session/set_config_option",
                "session/cancel", "session/load", "session/close"));
    }

    @Test
    void clientAndTheNodeMockAgentSpeakSchemaValidAcp() throws Exception {
        needMockAgent();
        assumeTrue(onPath("node"), "node is not installed");
        Path agent = mockAgentDir.resolve("agent.mjs");
        assumeTrue(Files.isRegularFile(agent), "no agent.mjs in " + mockAgentDir);
        ProcessBuilder pb = new ProcessBuilder("node", agent.toString())
                .redirectError(state.resolve("agent-stderr.txt").toFile());
        pb.environment().put("MOCK_AGENT_STATE", state.resolve("mock-state").toString());
        Process process = pb.start();
        toClose.add(process::destroyForcibly);
        AcpClientConnection c = client(new JsonRpcPeer(process.getInputStream(), process.getOutputStream(), mapper,
                recorder(), 1 << 20));

        Files.writeString(cwd.resolve("notes.txt"), "first line\n");
        String id = c.newSession(cwd.toString(), List.of()).sessionId();
        for (String text : List.of("echo hello there", "plan", "read notes.txt", "read missing.txt",
                "write out.txt some text", "terminal echo hi")) {
            assertEquals(StopReason.END_TURN,
                    c.prompt(id, List.of(ContentBlock.text(text))).await(Duration.ofSeconds(20)).stopReason(), text);
        }
        c.setMode(id, "plan");
        c.setConfigOption(id, "model", "mock-default");
        PendingPrompt hanging = c.prompt(id, List.of(ContentBlock.text("slow 10000")));
        // Cancel once the turn is under way (its first chunk has arrived).
        int before = updates.size();
        while (updates.size() == before) {
            Thread.sleep(5);
        }
        c.cancel(id);
        assertEquals(StopReason.CANCELLED, hanging.await(Duration.ofSeconds(20)).stopReason());
        c.loadSession(id, cwd.toString(), List.of());
        try {
            c.closeSession(id);
        } catch (JsonRpcException notOffered) {
            // the mock agent need not offer session/close; our request is checked all the same
        }

        assertEquals("some text", Files.readString(cwd.resolve("out.txt")).strip());
        assertConforms(Set.of("initialize", "session/new", "session/prompt", "session/update", "fs/read_text_file",
                "fs/write_text_file", "session/request_permission", "terminal/create", "session/set_mode",
                "session/set_config_option", "session/cancel", "session/load", "session/close"));
    }

    /** A person who answers from a script: yes/no questions with the first entry, lines with the rest. */
    private static dev.acpx.api.PermissionPolicies.Prompter scripted(boolean yes, String... lines) {
        java.util.Iterator<String> next = List.of(lines).iterator();
        return new dev.acpx.api.PermissionPolicies.Prompter() {
            @Override
            public boolean confirm(String question) {
                return yes;
            }

            @Override
            public String answer(String question) {
                return next.hasNext() ? next.next() : null;
            }
        };
    }

    @Test
    void ourElicitationAnswersAndCloseConformToTheSchema() throws Exception {
        ObjectMapper m = new ObjectMapper();
        String form = "{\"sessionId\":\"s\",\"mode\":\"form\",\"message\":\"Who?\",\"requestedSchema\":{"
                + "\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"n\":{\"type\":\"integer\"},"
                + "\"ok\":{\"type\":\"boolean\"},\"x\":{\"type\":\"number\"},\"tags\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"string\",\"enum\":[\"a\",\"b\"]}},\"pick\":{\"type\":\"string\","
                + "\"oneOf\":[{\"const\":\"p\",\"title\":\"P\"}],\"default\":\"p\"}},\"required\":[\"name\"]}}";
        String url = "{\"sessionId\":\"s\",\"mode\":\"url\",\"message\":\"Sign in\",\"elicitationId\":\"e1\","
                + "\"url\":\"https://example.invalid/login\"}";
        // The samples themselves are valid requests of the schema.
        assertEquals(List.of(), schema.validate("CreateElicitationRequest", m.readTree(form)));
        assertEquals(List.of(), schema.validate("CreateElicitationRequest", m.readTree(url)));
        var accepted = dev.acpx.core.engine.agent.Elicitations.answer(m.readTree(form),
                scripted(true, "Ada", "3", "yes", "2.5", "a, b", ""));
        assertEquals("accept", accepted.response().path("action").asText(), accepted.response()::toString);
        assertEquals(m.readTree("{\"name\":\"Ada\",\"n\":3,\"ok\":true,\"x\":2.5,\"tags\":[\"a\",\"b\"],"
                + "\"pick\":\"p\"}").toString(), accepted.response().path("content").toString());
        List<com.fasterxml.jackson.databind.JsonNode> answers = List.of(accepted.response(),
                dev.acpx.core.engine.agent.Elicitations.answer(m.readTree(form), scripted(true, "")).response(),
                dev.acpx.core.engine.agent.Elicitations.answer(m.readTree(form), null).response(),
                dev.acpx.core.engine.agent.Elicitations.answer(m.readTree(url), scripted(true)).response(),
                dev.acpx.core.engine.agent.Elicitations.answer(m.readTree(url), scripted(false)).response());
        assertEquals(List.of("accept", "decline", "decline", "accept", "decline"),
                answers.stream().map(a -> a.path("action").asText()).toList());
        for (var answer : answers) {
            assertEquals(List.of(), schema.validate("CreateElicitationResponse", answer), answer::toString);
        }
        String close = m.writeValueAsString(new dev.acpx.core.protocol.CloseSessionRequest("s"));
        assertEquals(List.of(), schema.validate("CloseSessionRequest", m.readTree(close)));
        assertEquals(List.of(), schema.validate("ClientCapabilities",
                m.valueToTree(dev.acpx.core.engine.agent.Capabilities.client(dev.acpx.api.ClientAccess.FULL))));
        assertFalse(schema.validate("CreateElicitationResponse", m.readTree("{\"action\":\"accept\","
                + "\"content\":{\"x\":{\"nested\":1}}}")).isEmpty(), "the schema check must catch a bad content");
    }

    @Test
    void brokenMessagesAreCaught() throws Exception {
        ObjectMapper m = new ObjectMapper();
        String good = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session/prompt\",\"params\":{\"sessionId\":\"s\","
                + "\"prompt\":[{\"type\":\"text\",\"text\":\"hi\"}]}}";
        assertEquals(List.of(), schema.check(List.of(new AcpSchema.Line(AcpSchema.Side.CLIENT, good))));

        ObjectNode wrongBlock = (ObjectNode) m.readTree(good);
        ((ObjectNode) wrongBlock.at("/params/prompt/0")).put("type", "txt");
        ObjectNode noSession = (ObjectNode) m.readTree(good);
        ((ObjectNode) noSession.get("params")).remove("sessionId");
        ObjectNode stringPrompt = (ObjectNode) m.readTree(good);
        ((ObjectNode) stringPrompt.get("params")).put("prompt", "hi");
        for (ObjectNode broken : List.of(wrongBlock, noSession, stringPrompt)) {
            assertFalse(schema.check(List.of(new AcpSchema.Line(AcpSchema.Side.CLIENT, broken.toString()))).isEmpty(),
                    broken::toString);
        }

        // A response is checked against the result of the request it answers.
        String badStop = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"stopReason\":\"finished\"}}";
        assertFalse(schema.check(List.of(new AcpSchema.Line(AcpSchema.Side.CLIENT, good),
                new AcpSchema.Line(AcpSchema.Side.AGENT, badStop))).isEmpty());
        String chunk = "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"s\","
                + "\"update\":{\"sessionUpdate\":\"agent_message_chunk\"}}}";
        assertFalse(schema.check(List.of(new AcpSchema.Line(AcpSchema.Side.AGENT, chunk))).isEmpty());
        // Direction matters: a client does not send session/update, an agent does not send initialize.
        String chunkOk = chunk.replace("\"agent_message_chunk\"}", "\"agent_message_chunk\","
                + "\"content\":{\"type\":\"text\",\"text\":\"x\"}}");
        assertEquals(List.of(), schema.check(List.of(new AcpSchema.Line(AcpSchema.Side.AGENT, chunkOk))));
        assertFalse(schema.check(List.of(new AcpSchema.Line(AcpSchema.Side.CLIENT, chunkOk))).isEmpty());
        ArrayNode none = m.createArrayNode();
        assertFalse(schema.check(List.of(new AcpSchema.Line(AcpSchema.Side.CLIENT, none.toString()))).isEmpty());
        assertFalse(schema.check(List.of(new AcpSchema.Line(AcpSchema.Side.AGENT,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}"))).isEmpty(), "answer to an unknown id");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
