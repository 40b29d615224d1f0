package dev.acpx.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.jsonrpc.JsonRpcPeer;
import dev.acpx.core.protocol.AcpMethod;
import dev.acpx.core.protocol.AcpMethods;
import dev.acpx.core.protocol.ClientCapabilities;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.CreateTerminalRequest;
import dev.acpx.core.protocol.CreateTerminalResponse;
import dev.acpx.core.protocol.PermissionOption;
import dev.acpx.core.protocol.PlanEntry;
import dev.acpx.core.protocol.ReadTextFileRequest;
import dev.acpx.core.protocol.ReadTextFileResponse;
import dev.acpx.core.protocol.ReleaseTerminalRequest;
import dev.acpx.core.protocol.RequestPermissionOutcome;
import dev.acpx.core.protocol.RequestPermissionRequest;
import dev.acpx.core.protocol.RequestPermissionResponse;
import dev.acpx.core.protocol.SessionNotification;
import dev.acpx.core.protocol.SessionUpdate;
import dev.acpx.core.protocol.StopReason;
import dev.acpx.core.protocol.TerminalOutputRequest;
import dev.acpx.core.protocol.TerminalOutputResponse;
import dev.acpx.core.protocol.ToolCallContent;
import dev.acpx.core.protocol.ToolCallFields;
import dev.acpx.core.protocol.ToolCallLocation;
import dev.acpx.core.protocol.WaitForTerminalExitRequest;
import dev.acpx.core.protocol.WaitForTerminalExitResponse;
import dev.acpx.core.protocol.WriteTextFileRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One scripted prompt turn. Every client capability is checked before use, and the turn stops
 * with {@code cancelled} at the next step (or while waiting on the client) after session/cancel.
 */
final class DemoTurn {

    static final String WRITE_FILE = "acpx-demo.txt";
    static final String TERMINAL_TEXT = "hello from the demo terminal";

    /** Thrown inside the script when the client cancelled the turn. */
    private static final class Cancelled extends Exception {
        Cancelled() {
            super("turn cancelled", null, false, false);
        }
    }

    private final JsonRpcPeer peer;
    private final ObjectMapper mapper;
    private final ClientCapabilities client;
    private final DemoSessions.State session;
    private final String promptText;
    private final StringBuilder agentText = new StringBuilder();
    private volatile boolean cancelled;
    private int toolCalls;

    DemoTurn(JsonRpcPeer peer, ObjectMapper mapper, ClientCapabilities client, DemoSessions.State session,
            List<ContentBlock> prompt) {
        this.peer = peer;
        this.mapper = mapper;
        this.client = client;
        this.session = session;
        StringBuilder sb = new StringBuilder();
        for (ContentBlock b : prompt == null ? List.<ContentBlock>of() : prompt) {
            switch (b) {
                case ContentBlock.Text t -> sb.append(t.text());
                case ContentBlock.Resource r when r.resource() != null && r.resource().text() != null ->
                        sb.append(r.resource().text());
                default -> { }
            }
        }
        this.promptText = sb.toString().strip();
    }

    void cancel() {
        cancelled = true;
    }

    String promptText() {
        return promptText;
    }

    String agentText() {
        return agentText.toString();
    }

    /** Runs the script; returns the stop reason. */
    String run() throws IOException, InterruptedException {
        try {
            step();
            update(new SessionUpdate.AgentThoughtChunk(ContentBlock.text("The user said \"" + promptText
                    + "\". I will echo it, read a file, write one and run a command."), null));
            step();
            update(new SessionUpdate.Plan(List.of(
                    new PlanEntry("Echo the prompt", "high", "in_progress"),
                    new PlanEntry("Read a file from the working directory", "medium", "pending"),
                    new PlanEntry("Write " + WRITE_FILE, "medium", "pending"),
                    new PlanEntry("Run a terminal command", "low", "pending"))));
            for (String word : ("You said: " + promptText + "\n").split("(?<= )")) {
                step();
                say(word);
            }
            readAFile();
            writeAFile();
            runATerminal();
            step();
            say("Done.\n");
            return StopReason.END_TURN;
        } catch (Cancelled e) {
            return StopReason.CANCELLED;
        }
    }

    private void readAFile() throws IOException, InterruptedException, Cancelled {
        step();
        Optional<Path> file = pickFile(Path.of(session.cwd()));
        if (file.isEmpty()) {
            say("There is no file to read in " + session.cwd() + ".\n");
            return;
        }
        String id = toolCallId("read");
        String path = file.get().toString();
        update(new SessionUpdate.ToolCall(id, "Read " + path, "read", "pending", null,
                List.of(new ToolCallLocation(path, null)), mapper.valueToTree(java.util.Map.of("path", path)), null));
        if (client.fs() == null || !client.fs().readTextFile()) {
            update(failed(id));
            say("The client cannot read files (no fs.readTextFile capability).\n");
            return;
        }
        update(status(id, "in_progress", null));
        try {
            ReadTextFileResponse read = call(AcpMethods.FS_READ_TEXT_FILE,
                    new ReadTextFileRequest(session.sessionId(), path, 1, 3));
            String content = read.content() == null ? "" : read.content();
            String first = content.lines().findFirst().orElse("");
            update(status(id, "completed", List.of(new ToolCallContent.Content(ContentBlock.text(content)))));
            say("The file " + file.get().getFileName() + " starts with: " + first + "\n");
        } catch (JsonRpcException e) {
            update(failed(id));
            say("Reading " + path + " failed: " + e.getMessage() + "\n");
        }
    }

    private void writeAFile() throws IOException, InterruptedException, Cancelled {
        step();
        String id = toolCallId("edit");
        String path = Path.of(session.cwd()).resolve(WRITE_FILE).toString();
        String text = "Hello from the acpx demo agent.\nYou said: " + promptText + "\n";
        List<ToolCallLocation> where = List.of(new ToolCallLocation(path, null));
        JsonNode input = mapper.valueToTree(java.util.Map.of("path", path, "content", text));
        update(new SessionUpdate.ToolCall(id, "Write " + WRITE_FILE, "edit", "pending", null, where, input, null));
        if (client.fs() == null || !client.fs().writeTextFile()) {
            update(failed(id));
            say("The client cannot write files (no fs.writeTextFile capability).\n");
            return;
        }
        RequestPermissionResponse answer;
        try {
            answer = call(AcpMethods.SESSION_REQUEST_PERMISSION, new RequestPermissionRequest(session.sessionId(),
                    new ToolCallFields(id, "Write " + WRITE_FILE, "edit", "pending", null, where, input, null),
                    List.of(new PermissionOption("allow", "Allow", "allow_once"),
                            new PermissionOption("reject", "Reject", "reject_once"))));
        } catch (JsonRpcException e) {
            update(failed(id));
            say("Asking for permission failed: " + e.getMessage() + "\n");
            return;
        }
        switch (answer.outcome()) {
            case RequestPermissionOutcome.Selected s when "allow".equals(s.optionId()) -> { }
            case RequestPermissionOutcome.Cancelled c -> throw new Cancelled();
            default -> {
                update(failed(id));
                say("Permission to write " + WRITE_FILE + " was denied.\n");
                return;
            }
        }
        update(status(id, "in_progress", null));
        try {
            call(AcpMethods.FS_WRITE_TEXT_FILE, new WriteTextFileRequest(session.sessionId(), path, text));
            update(status(id, "completed", List.of(new ToolCallContent.Diff(path, null, text))));
            say("Wrote " + WRITE_FILE + ".\n");
        } catch (JsonRpcException e) {
            update(failed(id));
            say("Writing " + path + " failed: " + e.getMessage() + "\n");
        }
    }

    private void runATerminal() throws IOException, InterruptedException, Cancelled {
        step();
        String id = toolCallId("execute");
        update(new SessionUpdate.ToolCall(id, "Run echo " + TERMINAL_TEXT, "execute", "pending", null, null,
                mapper.valueToTree(java.util.Map.of("command", "echo " + TERMINAL_TEXT)), null));
        if (!client.terminal()) {
            update(failed(id));
            say("The client has no terminal capability.\n");
            return;
        }
        String terminalId = null;
        try {
            CreateTerminalResponse created = call(AcpMethods.TERMINAL_CREATE, new CreateTerminalRequest(session.sessionId(),
                    "echo", List.of(TERMINAL_TEXT), null, session.cwd(), 4096L));
            terminalId = created.terminalId();
            update(status(id, "in_progress", List.of(new ToolCallContent.Terminal(terminalId))));
            WaitForTerminalExitResponse exit = call(AcpMethods.TERMINAL_WAIT_FOR_EXIT,
                    new WaitForTerminalExitRequest(session.sessionId(), terminalId));
            TerminalOutputResponse output = call(AcpMethods.TERMINAL_OUTPUT,
                    new TerminalOutputRequest(session.sessionId(), terminalId));
            update(status(id, "completed", List.of(new ToolCallContent.Terminal(terminalId))));
            say("The terminal said: " + output.output().strip() + " (exit " + exit.exitCode() + ")\n");
        } catch (JsonRpcException e) {
            update(failed(id));
            say("The terminal failed: " + e.getMessage() + "\n");
        } finally {
            if (terminalId != null) {
                try {
                    call(AcpMethods.TERMINAL_RELEASE, new ReleaseTerminalRequest(session.sessionId(), terminalId));
                } catch (JsonRpcException | Cancelled e) {
                    // release is best effort; the client frees terminals when the turn ends anyway
                }
            }
        }
    }

    /** The README, else the first regular file by name; never our own output file. */
    static Optional<Path> pickFile(Path cwd) {
        Path readme = cwd.resolve("README.md");
        if (Files.isRegularFile(readme)) {
            return Optional.of(readme);
        }
        try (Stream<Path> files = Files.list(cwd)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(WRITE_FILE))
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- plumbing

    private void step() throws Cancelled {
        if (cancelled) {
            throw new Cancelled();
        }
    }

    private void say(String text) throws IOException {
        agentText.append(text);
        update(new SessionUpdate.AgentMessageChunk(ContentBlock.text(text), null));
    }

    private void update(SessionUpdate update) throws IOException {
        peer.notify(AcpMethods.SESSION_UPDATE.name(),
                mapper.valueToTree(new SessionNotification(session.sessionId(), update)));
    }

    private String toolCallId(String kind) {
        return kind + "-" + (++toolCalls);
    }

    private static SessionUpdate.ToolCallUpdate status(String id, String status, List<ToolCallContent> content) {
        return new SessionUpdate.ToolCallUpdate(id, null, null, status, content, null, null, null);
    }

    private static SessionUpdate.ToolCallUpdate failed(String id) {
        return status(id, "failed", null);
    }

    /** A client request that gives up (the turn is cancelled) as soon as session/cancel arrives. */
    private <P, R> R call(AcpMethod<P, R> method, P params)
            throws JsonRpcException, IOException, InterruptedException, Cancelled {
        Future<JsonNode> result = peer.request(method.name(), mapper.valueToTree(params));
        while (true) {
            step();
            try {
                JsonNode node = result.get(50, TimeUnit.MILLISECONDS);
                return mapper.treeToValue(node == null || node.isNull() ? mapper.createObjectNode() : node, method.result());
            } catch (TimeoutException e) {
                // poll again so that a cancel is noticed while the client is busy
            } catch (ExecutionException e) {
                if (e.getCause() instanceof JsonRpcException j) {
                    throw j;
                }
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(method.name() + " failed: " + e.getCause(), e.getCause());
            }
        }
    }
}
