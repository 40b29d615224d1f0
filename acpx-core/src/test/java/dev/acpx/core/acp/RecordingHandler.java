package dev.acpx.core.acp;

import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.protocol.ContentBlock;
import dev.acpx.core.protocol.CreateTerminalRequest;
import dev.acpx.core.protocol.CreateTerminalResponse;
import dev.acpx.core.protocol.KillTerminalRequest;
import dev.acpx.core.protocol.PermissionOption;
import dev.acpx.core.protocol.ReadTextFileRequest;
import dev.acpx.core.protocol.ReadTextFileResponse;
import dev.acpx.core.protocol.ReleaseTerminalRequest;
import dev.acpx.core.protocol.RequestPermissionOutcome;
import dev.acpx.core.protocol.RequestPermissionRequest;
import dev.acpx.core.protocol.RequestPermissionResponse;
import dev.acpx.core.protocol.SessionNotification;
import dev.acpx.core.protocol.SessionUpdate;
import dev.acpx.core.protocol.TerminalExitStatus;
import dev.acpx.core.protocol.TerminalOutputRequest;
import dev.acpx.core.protocol.TerminalOutputResponse;
import dev.acpx.core.protocol.WaitForTerminalExitRequest;
import dev.acpx.core.protocol.WaitForTerminalExitResponse;
import dev.acpx.core.protocol.WriteTextFileRequest;
import dev.acpx.core.protocol.WriteTextFileResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real (if simple) client for tests: real files, real processes, records what the agent asked. */
final class RecordingHandler implements ClientHandler {

    final List<SessionUpdate> updates = new CopyOnWriteArrayList<>();
    final List<Object> requests = new CopyOnWriteArrayList<>();
    volatile String permissionAnswer = "allow-once";
    private final Map<String, Process> terminals = new ConcurrentHashMap<>();
    private final Map<String, StringBuffer> outputs = new ConcurrentHashMap<>();

    /** Text of all agent_message_chunk updates so far, concatenated. */
    String agentText() {
        StringBuilder sb = new StringBuilder();
        for (SessionUpdate u : updates) {
            if (u instanceof SessionUpdate.AgentMessageChunk c && c.content() instanceof ContentBlock.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    <T> List<T> updatesOf(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (SessionUpdate u : updates) {
            if (type.isInstance(u)) {
                out.add(type.cast(u));
            }
        }
        return out;
    }

    @Override
    public void sessionUpdate(SessionNotification notification) {
        updates.add(notification.update());
    }

    @Override
    public RequestPermissionResponse requestPermission(RequestPermissionRequest request) {
        requests.add(request);
        for (PermissionOption o : request.options()) {
            if (o.optionId().equals(permissionAnswer)) {
                return new RequestPermissionResponse(new RequestPermissionOutcome.Selected(o.optionId()));
            }
        }
        return new RequestPermissionResponse(new RequestPermissionOutcome.Cancelled());
    }

    @Override
    public ReadTextFileResponse readTextFile(ReadTextFileRequest request) throws JsonRpcException {
        requests.add(request);
        try {
            return new ReadTextFileResponse(Files.readString(Path.of(request.path())));
        } catch (IOException e) {
            throw new JsonRpcException(-32002, "cannot read " + request.path() + ": " + e.getMessage());
        }
    }

    @Override
    public WriteTextFileResponse writeTextFile(WriteTextFileRequest request) throws JsonRpcException {
        requests.add(request);
        try {
            Files.writeString(Path.of(request.path()), request.content());
            return new WriteTextFileResponse(null);
        } catch (IOException e) {
            throw new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "cannot write " + request.path());
        }
    }

    @Override
    public CreateTerminalResponse createTerminal(CreateTerminalRequest request) throws JsonRpcException {
        requests.add(request);
        List<String> command = new ArrayList<>();
        command.add(request.command());
        if (request.args() != null) {
            command.addAll(request.args());
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (request.cwd() != null) {
                pb.directory(Path.of(request.cwd()).toFile());
            }
            Process p = pb.start();
            p.getOutputStream().close();
            String id = "term-" + p.pid();
            StringBuffer output = new StringBuffer();
            outputs.put(id, output);
            terminals.put(id, p);
            Thread.ofVirtual().start(() -> {
                try {
                    output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process was killed; what we have is the output
                }
            });
            return new CreateTerminalResponse(id);
        } catch (IOException e) {
            throw new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "cannot start " + command);
        }
    }

    @Override
    public TerminalOutputResponse terminalOutput(TerminalOutputRequest request) throws JsonRpcException {
        Process p = terminal(request.terminalId());
        TerminalExitStatus status = p.isAlive() ? null : new TerminalExitStatus(p.exitValue(), null);
        return new TerminalOutputResponse(outputs.get(request.terminalId()).toString(), false, status);
    }

    @Override
    public WaitForTerminalExitResponse waitForTerminalExit(WaitForTerminalExitRequest request)
            throws JsonRpcException, InterruptedException {
        Process p = terminal(request.terminalId());
        int code = p.waitFor();
        Thread.sleep(50); // let the pump drain the pipe
        return new WaitForTerminalExitResponse(code, null);
    }

    @Override
    public void killTerminal(KillTerminalRequest request) throws JsonRpcException {
        terminal(request.terminalId()).destroyForcibly();
    }

    @Override
    public void releaseTerminal(ReleaseTerminalRequest request) throws JsonRpcException {
        requests.add(request);
        Process p = terminals.remove(request.terminalId());
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private Process terminal(String id) throws JsonRpcException {
        Process p = terminals.get(id);
        if (p == null) {
            throw new JsonRpcException(JsonRpcException.INVALID_PARAMS, "unknown terminal " + id);
        }
        return p;
    }
}
