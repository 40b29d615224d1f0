package dev.acpx.core.engine.agent;

import dev.acpx.api.ClientAccess;
import dev.acpx.api.TurnEvent;
import dev.acpx.core.acp.ClientHandler;
import dev.acpx.core.capability.CapabilityException;
import dev.acpx.core.capability.FileSystemAccess;
import dev.acpx.core.capability.TerminalOutput;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.process.ExitStatus;
import dev.acpx.core.protocol.CreateTerminalRequest;
import dev.acpx.core.protocol.CreateTerminalResponse;
import dev.acpx.core.protocol.EnvVariable;
import dev.acpx.core.protocol.KillTerminalRequest;
import dev.acpx.core.protocol.ReadTextFileRequest;
import dev.acpx.core.protocol.ReadTextFileResponse;
import dev.acpx.core.protocol.ReleaseTerminalRequest;
import dev.acpx.core.protocol.RequestPermissionRequest;
import dev.acpx.core.protocol.RequestPermissionResponse;
import dev.acpx.core.protocol.SessionNotification;
import dev.acpx.core.protocol.TerminalExitStatus;
import dev.acpx.core.protocol.TerminalOutputRequest;
import dev.acpx.core.protocol.TerminalOutputResponse;
import dev.acpx.core.protocol.WaitForTerminalExitRequest;
import dev.acpx.core.protocol.WaitForTerminalExitResponse;
import dev.acpx.core.protocol.WriteTextFileRequest;
import dev.acpx.core.protocol.WriteTextFileResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The client's answers to the agent: session updates become events of the current turn, file
 * access is confined to the session directory, terminals run there, and permission requests, file
 * reads, writes and terminals all pass the turn's {@link PermissionGate} first. Requests that
 * arrive outside a turn are refused.
 */
final class ClientSide implements ClientHandler {
    private final FileSystemAccess files;
    private final PermissionGate gate;
    private final ClientAccess access;
    private final UpdateTranslator translator;
    private final Supplier<TurnState> currentTurn;

    ClientSide(FileSystemAccess files, PermissionGate gate, ClientAccess access, UpdateTranslator translator,
               Supplier<TurnState> currentTurn) {
        this.files = files;
        this.gate = gate;
        this.access = access;
        this.translator = translator;
        this.currentTurn = currentTurn;
    }

    /** {@code --no-fs}: the fs methods do not exist for the agent (the Node acpx registers no handler). */
    private void requireFs(String method) throws JsonRpcException {
        if (!access.fileSystem()) {
            throw new JsonRpcException(JsonRpcException.METHOD_NOT_FOUND, "Method not found: " + method
                    + " (acpx runs with --no-fs)");
        }
    }

    /** {@code --no-terminal}: likewise for every terminal method. */
    private void requireTerminal(String method) throws JsonRpcException {
        if (!access.terminal()) {
            throw new JsonRpcException(JsonRpcException.METHOD_NOT_FOUND, "Method not found: " + method
                    + " (acpx runs with --no-terminal)");
        }
    }

    private TurnState turn() throws JsonRpcException {
        TurnState turn = currentTurn.get();
        if (turn == null) {
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST, "no prompt turn is running");
        }
        return turn;
    }

    @Override
    public void sessionUpdate(SessionNotification notification) {
        TurnState turn = currentTurn.get();
        TurnEvent event = translator.translate(notification.update());
        if (turn != null) {
            turn.listener.onEvent(event);
        }
    }

    @Override
    public RequestPermissionResponse requestPermission(RequestPermissionRequest request) throws JsonRpcException {
        return gate.toolCall(turn(), request);
    }

    @Override
    public ReadTextFileResponse readTextFile(ReadTextFileRequest request) throws JsonRpcException {
        requireFs(PermissionGate.READ);
        TurnState turn = turn();
        String summary = "read " + request.path();
        try {
            Path real = files.resolveInside(request.path());
            gate.read(turn, request.sessionId(), real, summary);
            String content = files.read(real.toString(), request.line(), request.limit());
            operation(turn, PermissionGate.READ, summary, "completed", null);
            return new ReadTextFileResponse(content);
        } catch (CapabilityException e) {
            operation(turn, PermissionGate.READ, summary, "failed", e.getMessage());
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public WriteTextFileResponse writeTextFile(WriteTextFileRequest request) throws JsonRpcException {
        requireFs(PermissionGate.WRITE);
        TurnState turn = turn();
        String summary = "write " + request.path();
        String content = request.content() == null ? "" : request.content();
        try {
            // Confinement first: a path acpx would never write is refused without asking anyone.
            Path real = files.resolveInside(request.path());
            gate.write(turn, request.sessionId(), real, content, summary);
            files.write(real.toString(), content);
            operation(turn, PermissionGate.WRITE, summary, "completed", null);
            return new WriteTextFileResponse(null);
        } catch (CapabilityException e) {
            operation(turn, PermissionGate.WRITE, summary, "failed", e.getMessage());
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public CreateTerminalResponse createTerminal(CreateTerminalRequest request) throws JsonRpcException {
        requireTerminal(PermissionGate.TERMINAL);
        TurnState turn = turn();
        Map<String, String> env = new LinkedHashMap<>();
        if (request.env() != null) {
            for (EnvVariable v : request.env()) {
                env.put(v.name(), v.value());
            }
        }
        List<String> args = request.args() == null ? List.of() : request.args();
        String summary = "terminal " + request.command() + (args.isEmpty() ? "" : " " + String.join(" ", args));
        gate.terminal(turn, request.sessionId(), request.command(), args, request.cwd(), summary);
        try {
            String id = turn.terminals.create(request.command(), args, env, request.cwd(), request.outputByteLimit());
            operation(turn, PermissionGate.TERMINAL, summary, "completed", null);
            return new CreateTerminalResponse(id);
        } catch (CapabilityException e) {
            operation(turn, PermissionGate.TERMINAL, summary, "failed", e.getMessage());
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public TerminalOutputResponse terminalOutput(TerminalOutputRequest request) throws JsonRpcException {
        requireTerminal("terminal/output");
        try {
            TerminalOutput out = turn().terminals.output(request.terminalId());
            return new TerminalOutputResponse(out.output(), out.truncated(), exit(out.exitStatusOrNull()));
        } catch (CapabilityException e) {
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public WaitForTerminalExitResponse waitForTerminalExit(WaitForTerminalExitRequest request)
            throws JsonRpcException, InterruptedException {
        requireTerminal("terminal/wait_for_exit");
        try {
            ExitStatus status = turn().terminals.waitForExit(request.terminalId());
            return new WaitForTerminalExitResponse(status.code(), status.signal());
        } catch (CapabilityException e) {
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public void killTerminal(KillTerminalRequest request) throws JsonRpcException {
        requireTerminal("terminal/kill");
        try {
            turn().terminals.kill(request.terminalId());
        } catch (CapabilityException e) {
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public void releaseTerminal(ReleaseTerminalRequest request) throws JsonRpcException {
        requireTerminal("terminal/release");
        try {
            turn().terminals.release(request.terminalId());
        } catch (CapabilityException e) {
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode createElicitation(com.fasterxml.jackson.databind.JsonNode params) {
        TurnState turn = currentTurn.get();
        Elicitations.Outcome outcome = Elicitations.answer(params,
                turn == null || turn.permissions == null ? null : turn.permissions.person());
        if (turn != null) {
            turn.listener.onEvent(new TurnEvent.Signal(outcome.signal()));
        }
        return outcome.response();
    }

    private static TerminalExitStatus exit(ExitStatus status) {
        return status == null ? null : new TerminalExitStatus(status.code(), status.signal());
    }

    private static void operation(TurnState turn, String method, String summary, String status, String details) {
        turn.listener.onEvent(new TurnEvent.ClientOperation(method, summary, status, details));
    }
}
