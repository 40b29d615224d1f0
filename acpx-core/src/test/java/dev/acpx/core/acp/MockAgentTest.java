package dev.acpx.core.acp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.jsonrpc.Direction;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.jsonrpc.JsonRpcPeer;
import dev.acpx.core.jsonrpc.PeerClosedException;
import dev.acpx.core.jsonrpc.PeerListener;
import dev.acpx.core.protocol.ClientCapabilities;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.CreateTerminalRequest;
import dev.acpx.core.protocol.FileSystemCapabilities;
import dev.acpx.core.protocol.Implementation;
import dev.acpx.core.protocol.InitializeResponse;
import dev.acpx.core.protocol.LoadSessionResponse;
import dev.acpx.core.protocol.NewSessionResponse;
import dev.acpx.core.protocol.PromptResponse;
import dev.acpx.core.protocol.ReadTextFileRequest;
import dev.acpx.core.protocol.RequestPermissionRequest;
import dev.acpx.core.protocol.SessionConfigOption;
import dev.acpx.core.protocol.SessionUpdate;
import dev.acpx.core.protocol.SetSessionConfigOptionResponse;
import dev.acpx.core.protocol.StopReason;
import dev.acpx.core.protocol.ToolCallContent;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Drives the shared Node mock agent (a real ACP agent built on the official SDK) as a subprocess. */
@Timeout(60)
class MockAgentTest {

    private static Path agent;

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Process> processes = new ArrayList<>();
    private final List<AcpClientConnection> connections = new ArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    /**
     * The mock agent bin/test prepares (-Dacpx.testEnv, passed by the acpx-core pom), else a shared
     * copy named by ACPX_SHARED_DIR. When bin/test prepared its environment the tests must run: a
     * missing piece there is a failure, not a skip, so that CI cannot silently lose these tests.
     */
    @BeforeAll
    static void needsNodeAndTheMockAgent() {
        List<Path> candidates = new ArrayList<>();
        String testEnv = System.getProperty("acpx.testEnv", "");
        if (!testEnv.isBlank()) {
            candidates.add(Path.of(testEnv, "mock-agent"));
        }
        String shared = System.getenv("ACPX_SHARED_DIR");
        if (shared != null && !shared.isBlank()) {
            candidates.add(Path.of(shared, "mock-agent"));
        }
        Optional<Path> found = candidates.stream().filter(MockAgentTest::installed).findFirst();
        boolean prepared = !testEnv.isBlank() && Files.isDirectory(Path.of(testEnv, "mock-agent"));
        if (prepared) {
            assertTrue(onPath("node"), "bin/test prepared " + testEnv + " but node is not on PATH");
            assertTrue(found.isPresent(), "bin/test prepared " + testEnv + " but the mock agent in it has no "
                    + "node_modules: delete " + testEnv + "/mock-agent and run bin/test again");
        }
        assumeTrue(found.isPresent() && onPath("node"),
                "mock agent not prepared: run bin/test (it copies the mock agent and runs npm ci)");
        agent = found.get().resolve("agent.mjs");
    }

    private static boolean installed(Path mockAgentDir) {
        return Files.isRegularFile(mockAgentDir.resolve("agent.mjs"))
                && Files.isDirectory(mockAgentDir.resolve("node_modules/@agentclientprotocol/sdk"));
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

    @AfterEach
    void stop() {
        connections.forEach(AcpClientConnection::close);
        processes.forEach(Process::destroyForcibly);
    }

    private record Agent(Process process, AcpClientConnection connection, RecordingHandler handler) {}

    private Agent start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder("node", agent.toString())
                .redirectError(dir.resolve("agent-stderr.txt").toFile());
        pb.environment().put("MOCK_AGENT_STATE", dir.resolve("state").toString());
        Process process = pb.start();
        processes.add(process);
        PeerListener listener = new PeerListener() {
            @Override
            public void onProblem(String description) {
                problems.add(description);
            }

            @Override
            public void onMessage(Direction direction, String rawLine) {}
        };
        JsonRpcPeer peer = new JsonRpcPeer(process.getInputStream(), process.getOutputStream(), mapper, listener, 1 << 20);
        RecordingHandler handler = new RecordingHandler();
        AcpClientConnection connection = new AcpClientConnection(peer, mapper, handler);
        connections.add(connection);
        return new Agent(process, connection, handler);
    }

    private static InitializeResponse initialize(Agent agent) throws Exception {
        return agent.connection().initialize(
                new ClientCapabilities(new FileSystemCapabilities(true, true), true),
                new Implementation("acpx-test", null, "0.0.1"));
    }

    private NewSessionResponse session(Agent agent) throws Exception {
        initialize(agent);
        return agent.connection().newSession(dir.toString(), List.of());
    }

    private static PromptResponse prompt(Agent agent, String sessionId, String text) throws Exception {
        return agent.connection().prompt(sessionId, List.of(ContentBlock.text(text))).await(Duration.ofSeconds(20));
    }

    @Test
    void initializeAndNewSessionAreTyped() throws Exception {
        Agent agent = start();
        InitializeResponse init = initialize(agent);
        assertEquals(1, init.protocolVersion());
        assertEquals("acp-mock-agent", init.agentInfo().name());
        assertTrue(init.agentCapabilities().loadSession());
        assertTrue(init.agentCapabilities().promptCapabilities().embeddedContext());

        NewSessionResponse session = agent.connection().newSession(dir.toString(), List.of());
        assertEquals("default", session.modes().currentModeId());
        assertEquals(List.of("default", "plan"), session.modes().availableModes().stream().map(m -> m.id()).toList());
        SessionConfigOption.Select model = assertInstanceOf(SessionConfigOption.Select.class, session.configOptions().get(0));
        assertEquals("model", model.category());
        assertEquals("mock-default", model.currentValue());
        assertEquals(List.of(), problems);
    }

    @Test
    void echoStreamsChunksThatAllArriveBeforeTheTurnEnds() throws Exception {
        Agent agent = start();
        String sessionId = session(agent).sessionId();
        String text = "hi there, this is a longer sentence that the agent splits into many chunks";
        PromptResponse done = prompt(agent, sessionId, "echo " + text);
        assertEquals(StopReason.END_TURN, done.stopReason());
        assertEquals(text, agent.handler().agentText());
        assertTrue(agent.handler().updatesOf(SessionUpdate.AgentMessageChunk.class).size() > 3);
    }

    @Test
    void planToolCallsAndTheirUpdatesAreTyped() throws Exception {
        Agent agent = start();
        String sessionId = session(agent).sessionId();
        prompt(agent, sessionId, "plan");
        SessionUpdate.Plan plan = agent.handler().updatesOf(SessionUpdate.Plan.class).get(0);
        assertEquals(3, plan.entries().size());
        assertEquals("high", plan.entries().get(0).priority());
        SessionUpdate.ToolCall call = agent.handler().updatesOf(SessionUpdate.ToolCall.class).get(0);
        assertEquals("think", call.kind());
        SessionUpdate.ToolCallUpdate update = agent.handler().updatesOf(SessionUpdate.ToolCallUpdate.class).get(0);
        assertEquals(call.toolCallId(), update.toolCallId());
        assertEquals("completed", update.status());
        ToolCallContent.Content content = assertInstanceOf(ToolCallContent.Content.class, update.content().get(0));
        assertEquals("plan looks fine", assertInstanceOf(ContentBlock.Text.class, content.content()).text());
        assertEquals("plan ready\n", agent.handler().agentText());
    }

    @Test
    void readIsServedByTheClientHandler() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "first line\nsecond line\n");
        Agent agent = start();
        String sessionId = session(agent).sessionId();
        assertEquals(StopReason.END_TURN, prompt(agent, sessionId, "read notes.txt").stopReason());
        ReadTextFileRequest read = assertInstanceOf(ReadTextFileRequest.class, agent.handler().requests.get(0));
        assertEquals(file.toString(), read.path());
        assertEquals(sessionId, read.sessionId());
        assertEquals("first line\n", agent.handler().agentText());
    }

    @Test
    void readErrorsFromTheHandlerReachTheAgent() throws Exception {
        Agent agent = start();
        String sessionId = session(agent).sessionId();
        prompt(agent, sessionId, "read missing.txt");
        assertTrue(agent.handler().agentText().startsWith("read failed: cannot read"), agent.handler().agentText());
    }

    @Test
    void writeAsksPermissionThenWrites() throws Exception {
        Agent agent = start();
        String sessionId = session(agent).sessionId();
        prompt(agent, sessionId, "write out.txt x");
        RequestPermissionRequest ask = assertInstanceOf(RequestPermissionRequest.class, agent.handler().requests.get(0));
        assertEquals("edit", ask.toolCall().kind());
        assertEquals(List.of("allow_once", "allow_always", "reject_once"), ask.options().stream().map(o -> o.kind()).toList());
        assertEquals("x", Files.readString(dir.resolve("out.txt")));
        SessionUpdate.ToolCallUpdate last = agent.handler().updatesOf(SessionUpdate.ToolCallUpdate.class).getLast();
        ToolCallContent.Diff diff = assertInstanceOf(ToolCallContent.Diff.class, last.content().get(0));
        assertEquals("x", diff.newText());

        agent.handler().permissionAnswer = "reject-once";
        prompt(agent, sessionId, "write other.txt y");
        assertTrue(Files.notExists(dir.resolve("other.txt")));
        assertTrue(agent.handler().agentText().contains("permission denied (reject-once)"), agent.handler().agentText());
    }

    @Test
    void terminalRunsARealProcess() throws Exception {
        Agent agent = start();
        String sessionId = session(agent).sessionId();
        prompt(agent, sessionId, "terminal echo hello from sh");
        CreateTerminalRequest create = assertInstanceOf(CreateTerminalRequest.class, agent.handler().requests.get(0));
        assertEquals(List.of("-c", "echo hello from sh"), create.args());
        assertEquals("exit 0\nhello from sh\n", agent.handler().agentText());
    }

    @Test
    void modesConfigOptionsAndLegacyModel() throws Exception {
        Agent agent = start();
        String sessionId = session(agent).sessionId();
        agent.connection().setMode(sessionId, "plan");
        assertEquals("plan", agent.handler().updatesOf(SessionUpdate.CurrentModeUpdate.class).get(0).currentModeId());

        SetSessionConfigOptionResponse changed = agent.connection().setConfigOption(sessionId, "model", "mock-large");
        assertEquals("mock-large", ((SessionConfigOption.Select) changed.configOptions().get(0)).currentValue());
        assertEquals(1, agent.handler().updatesOf(SessionUpdate.ConfigOptionUpdate.class).size());

        agent.connection().setModel(sessionId, "x");
        JsonRpcException bad = assertThrows(JsonRpcException.class, () -> agent.connection().setMode(sessionId, "nope"));
        assertEquals(JsonRpcException.INVALID_PARAMS, bad.code());
    }

    @Test
    void loadReplaysHistoryInANewProcess() throws Exception {
        Agent first = start();
        String sessionId = session(first).sessionId();
        prompt(first, sessionId, "echo remembered");
        first.connection().close();
        first.process().destroy();
        first.process().waitFor(10, TimeUnit.SECONDS);

        Agent second = start();
        initialize(second);
        LoadSessionResponse loaded = second.connection().loadSession(sessionId, dir.toString(), List.of());
        assertEquals("default", loaded.modes().currentModeId());
        // The ordering guarantee: the replay has been delivered by the time load returns.
        List<SessionUpdate.UserMessageChunk> user = second.handler().updatesOf(SessionUpdate.UserMessageChunk.class);
        assertEquals("echo remembered", ((ContentBlock.Text) user.get(0).content()).text());
        assertEquals("remembered", second.handler().agentText());

        JsonRpcException missing = assertThrows(JsonRpcException.class,
                () -> second.connection().loadSession("no-such-session", dir.toString(), List.of()));
        assertEquals(-32002, missing.code());
    }

    @Test
    void sessionCancelEndsASlowTurnWithCancelled() throws Exception {
        Agent agent = start();
        String sessionId = session(agent).sessionId();
        PendingPrompt pending = agent.connection().prompt(sessionId, List.of(ContentBlock.text("slow 30000")));
        while (agent.handler().agentText().isEmpty()) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();
        agent.connection().cancel(sessionId);
        assertEquals(StopReason.CANCELLED, pending.await(Duration.ofSeconds(10)).stopReason());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aCrashFailsThePromptPromptly() throws Exception {
        Agent agent = start();
        String sessionId = session(agent).sessionId();
        PendingPrompt pending = agent.connection().prompt(sessionId, List.of(ContentBlock.text("crash")));
        long start = System.nanoTime();
        assertThrows(PeerClosedException.class, () -> pending.await(Duration.ofSeconds(10)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(agent.process().waitFor(10, TimeUnit.SECONDS));
        assertEquals(3, agent.process().exitValue());
        assertEquals("about to crash\n", agent.handler().agentText());
        agent.connection().closed().get(5, TimeUnit.SECONDS);
        assertThrows(PeerClosedException.class, () -> agent.connection().newSession(dir.toString(), List.of()));
    }
}
