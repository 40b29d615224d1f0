package dev.acpx.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.acp.AcpClientConnection;
import dev.acpx.core.acp.PendingPrompt;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.jsonrpc.JsonRpcPeer;
import dev.acpx.core.jsonrpc.PeerListener;
import dev.acpx.core.protocol.ClientCapabilities;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.CreateTerminalRequest;
import dev.acpx.core.protocol.CreateTerminalResponse;
import dev.acpx.core.protocol.FileSystemCapabilities;
import dev.acpx.core.protocol.Implementation;
import dev.acpx.core.protocol.KillTerminalRequest;
import dev.acpx.core.protocol.NewSessionResponse;
import dev.acpx.core.protocol.ReadTextFileRequest;
import dev.acpx.core.protocol.ReadTextFileResponse;
import dev.acpx.core.protocol.ReleaseTerminalRequest;
import dev.acpx.core.protocol.RequestPermissionOutcome;
import dev.acpx.core.protocol.RequestPermissionRequest;
import dev.acpx.core.protocol.RequestPermissionResponse;
import dev.acpx.core.protocol.SessionNotification;
import dev.acpx.core.protocol.SessionUpdate;
import dev.acpx.core.protocol.StopReason;
import dev.acpx.core.protocol.TerminalExitStatus;
import dev.acpx.core.protocol.TerminalOutputRequest;
import dev.acpx.core.protocol.TerminalOutputResponse;
import dev.acpx.core.protocol.WaitForTerminalExitRequest;
import dev.acpx.core.protocol.WaitForTerminalExitResponse;
import dev.acpx.core.protocol.WriteTextFileRequest;
import dev.acpx.core.protocol.WriteTextFileResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo agent served over real loopback sockets, driven by the real client connection. */
@Timeout(30)
class DemoAgentTest {

    @TempDir
    Path cwd;
    @TempDir
    Path state;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<SessionUpdate> updates = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile String permission = "allow";

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private AcpClientConnection connect(ClientCapabilities caps) throws Exception {
        Socket agentSide;
        Socket clientSide;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            clientSide = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            agentSide = server.accept();
        }
        toClose.add(clientSide);
        toClose.add(agentSide);
        JsonRpcPeer agentPeer = new DemoAgent(mapper, state).serve(agentSide.getInputStream(), agentSide.getOutputStream(),
                PeerListener.none());
        toClose.add(agentPeer);
        JsonRpcPeer clientPeer = new JsonRpcPeer(clientSide.getInputStream(), clientSide.getOutputStream(), mapper,
                PeerListener.none(), 1 << 20);
        AcpClientConnection connection = new AcpClientConnection(clientPeer, mapper,
                new RealClientHandler(updates, calls, () -> permission));
        toClose.add(connection);
        connection.initialize(caps, new Implementation("test", null, "1"));
        return connection;
    }

    private static ClientCapabilities everything() {
        return new ClientCapabilities(new FileSystemCapabilities(true, true), true);
    }

    private String agentText() {
        StringBuilder sb = new StringBuilder();
        for (SessionUpdate u : updates) {
            if (u instanceof SessionUpdate.AgentMessageChunk c && c.content() instanceof ContentBlock.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    @Test
    void aTurnUsesEveryCapability() throws Exception {
        Files.writeString(cwd.resolve("README.md"), "# Demo project\nmore\n");
        AcpClientConnection c = connect(everything());
        NewSessionResponse session = c.newSession(cwd.toString(), List.of());
        assertEquals(List.of("default", "plan"), session.modes().availableModes().stream().map(m -> m.id()).toList());
        String stop = c.prompt(session.sessionId(), List.of(ContentBlock.text("hello demo"))).await(Duration.ofSeconds(10))
                .stopReason();
        assertEquals(StopReason.END_TURN, stop);
        String text = agentText();
        assertTrue(text.startsWith("You said: hello demo\n"), text);
        assertTrue(text.contains("README.md starts with: # Demo project"), text);
        assertTrue(text.contains("Wrote acpx-demo.txt"), text);
        assertTrue(text.contains("The terminal said: hello from the demo terminal (exit 0)"), text);
        assertTrue(Files.readString(cwd.resolve("acpx-demo.txt")).contains("You said: hello demo"));
        assertEquals(1, updates.stream().filter(u -> u instanceof SessionUpdate.AgentThoughtChunk).count());
        assertEquals(1, updates.stream().filter(u -> u instanceof SessionUpdate.Plan).count());
        assertEquals(List.of("read", "edit", "execute"), updates.stream()
                .filter(u -> u instanceof SessionUpdate.ToolCall).map(u -> ((SessionUpdate.ToolCall) u).kind()).toList());
        assertEquals(List.of("read", "permission", "write", "create", "wait", "output", "release"), calls);
    }

    @Test
    void deniedPermissionAndMissingCapabilitiesAreRespected() throws Exception {
        permission = "reject";
        AcpClientConnection c = connect(new ClientCapabilities(new FileSystemCapabilities(false, true), false));
        String id = c.newSession(cwd.toString(), List.of()).sessionId();
        assertEquals(StopReason.END_TURN, c.prompt(id, List.of(ContentBlock.text("x"))).await().stopReason());
        assertTrue(agentText().contains("There is no file to read"), agentText());
        assertTrue(agentText().contains("Permission to write acpx-demo.txt was denied."), agentText());
        assertTrue(agentText().contains("no terminal capability"), agentText());
        assertTrue(Files.notExists(cwd.resolve("acpx-demo.txt")));
        assertEquals(List.of("permission"), calls);
    }

    @Test
    void cancelWhileWaitingForPermissionEndsTheTurnCancelled() throws Exception {
        permission = "block";
        AcpClientConnection c = connect(everything());
        String id = c.newSession(cwd.toString(), List.of()).sessionId();
        PendingPrompt pending = c.prompt(id, List.of(ContentBlock.text("x")));
        while (!calls.contains("permission")) {
            Thread.sleep(10);
        }
        c.cancel(id);
        assertEquals(StopReason.CANCELLED, pending.await(Duration.ofSeconds(10)).stopReason());
    }

    @Test
    void modesModelsAndLoadInANewConnection() throws Exception {
        AcpClientConnection c = connect(everything());
        String id = c.newSession(cwd.toString(), List.of()).sessionId();
        c.setMode(id, "plan");
        c.setConfigOption(id, "model", "demo-smart");
        JsonRpcException bad = assertThrows(JsonRpcException.class, () -> c.setConfigOption(id, "model", "gpt-9"));
        assertTrue(bad.getMessage().contains("demo-fast, demo-smart"), bad.getMessage());
        c.prompt(id, List.of(ContentBlock.text("remember me"))).await();
        c.close();

        updates.clear();
        AcpClientConnection again = connect(everything());
        var loaded = again.loadSession(id, cwd.toString(), List.of());
        assertEquals("plan", loaded.modes().currentModeId());
        assertEquals("demo-smart", ((dev.acpx.core.protocol.SessionConfigOption.Select) loaded.configOptions().get(0))
                .currentValue());
        SessionUpdate.UserMessageChunk user = assertInstanceOf(SessionUpdate.UserMessageChunk.class, updates.get(0));
        assertEquals("remember me", ((ContentBlock.Text) user.content()).text());
        assertEquals(-32002, assertThrows(JsonRpcException.class,
                () -> again.loadSession("nope", cwd.toString(), List.of())).code());
    }
}
