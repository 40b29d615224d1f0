package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.PermissionDecision;
import dev.acpx.api.PermissionOption;
import dev.acpx.api.PermissionRequest;
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
import dev.acpx.core.protocol.RequestPermissionOutcome;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The client's answers to the agent: session updates become events of the current turn, file
 * access is confined to the session directory, terminals run there, and permission requests go
 * to the turn's policy. Requests that arrive outside a turn are refused.
 */
final class ClientSide implements ClientHandler {
    private final FileSystemAccess files;
    private final UpdateTranslator translator;
    private final Supplier<TurnState> currentTurn;

    ClientSide(FileSystemAccess files, UpdateTranslator translator, Supplier<TurnState> currentTurn) {
        this.files = files;
        this.translator = translator;
        this.currentTurn = currentTurn;
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
        TurnState turn = turn();
        var tool = request.toolCall();
        List<PermissionOption> options = request.options() == null ? List.of() : request.options().stream()
                .map(o -> new PermissionOption(o.optionId(), o.name(), o.kind())).toList();
        String title = tool == null ? null : tool.title();
        String kind = tool == null ? null : tool.kind();
        PermissionRequest asked = new PermissionRequest(request.sessionId(), tool == null ? null : tool.toolCallId(),
                title, kind, options);
        return new RequestPermissionResponse(decide(turn, asked));
    }

    private RequestPermissionOutcome decide(TurnState turn, PermissionRequest asked) {
        PermissionDecision decision;
        try {
            decision = turn.permissions.decide(asked);
        } catch (RuntimeException e) {
            decision = new PermissionDecision.Fail(dev.acpx.api.ErrorKind.RUNTIME,
                    "the permission policy failed: " + e.getMessage());
        }
        String label = asked.title() == null ? asked.toolCallId() : asked.title();
        return switch (decision) {
            case PermissionDecision.Select s -> {
                if (s.granted()) {
                    turn.granted.incrementAndGet();
                    turn.unusedGrants.incrementAndGet();
                } else {
                    turn.denied.incrementAndGet();
                }
                turn.listener.onEvent(new TurnEvent.PermissionAsked(label, asked.kind(),
                        s.granted() ? "allowed" : "denied", s.optionId()));
                yield new RequestPermissionOutcome.Selected(s.optionId());
            }
            case PermissionDecision.Cancel c -> {
                turn.denied.incrementAndGet();
                turn.listener.onEvent(new TurnEvent.PermissionAsked(label, asked.kind(), "cancelled", null));
                yield new RequestPermissionOutcome.Cancelled();
            }
            case PermissionDecision.Fail f -> {
                turn.denied.incrementAndGet();
                turn.fail(new AcpxException(f.kind(), f.message()));
                turn.listener.onEvent(new TurnEvent.PermissionAsked(label, asked.kind(), "failed", null));
                yield new RequestPermissionOutcome.Cancelled();
            }
        };
    }

    @Override
    public ReadTextFileResponse readTextFile(ReadTextFileRequest request) throws JsonRpcException {
        TurnState turn = turn();
        try {
            String content = files.read(request.path(), request.line(), request.limit());
            operation(turn, "fs/read_text_file", "read " + request.path(), "completed", null);
            return new ReadTextFileResponse(content);
        } catch (CapabilityException e) {
            operation(turn, "fs/read_text_file", "read " + request.path(), "failed", e.getMessage());
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public WriteTextFileResponse writeTextFile(WriteTextFileRequest request) throws JsonRpcException {
        TurnState turn = turn();
        String summary = "write " + request.path();
        if (!writeAllowed(turn, request.path())) {
            operation(turn, "fs/write_text_file", summary, "failed", "permission denied");
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST,
                    "permission denied: writing " + request.path() + " was not approved");
        }
        try {
            files.write(request.path(), request.content() == null ? "" : request.content());
            operation(turn, "fs/write_text_file", summary, "completed", null);
            return new WriteTextFileResponse(null);
        } catch (CapabilityException e) {
            operation(turn, "fs/write_text_file", summary, "failed", e.getMessage());
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    /** A write goes through if the agent already got a grant this turn, else the policy decides. */
    private boolean writeAllowed(TurnState turn, String path) {
        int grants;
        do {
            grants = turn.unusedGrants.get();
            if (grants == 0) {
                break;
            }
        } while (!turn.unusedGrants.compareAndSet(grants, grants - 1));
        if (grants > 0) {
            return true;
        }
        PermissionRequest synthetic = new PermissionRequest(null, "write-" + path, "Write " + path, "edit",
                List.of(new PermissionOption("allow", "Allow", "allow_once"),
                        new PermissionOption("reject", "Reject", "reject_once")));
        RequestPermissionOutcome outcome = decide(turn, synthetic);
        boolean allowed = outcome instanceof RequestPermissionOutcome.Selected s && s.optionId().equals("allow");
        if (allowed) {
            turn.unusedGrants.decrementAndGet();
        }
        return allowed;
    }

    @Override
    public CreateTerminalResponse createTerminal(CreateTerminalRequest request) throws JsonRpcException {
        TurnState turn = turn();
        Map<String, String> env = new LinkedHashMap<>();
        if (request.env() != null) {
            for (EnvVariable v : request.env()) {
                env.put(v.name(), v.value());
            }
        }
        String summary = "terminal " + request.command()
                + (request.args() == null || request.args().isEmpty() ? "" : " " + String.join(" ", request.args()));
        try {
            String id = turn.terminals.create(request.command(), request.args() == null ? List.of() : request.args(), env,
                    request.cwd(), request.outputByteLimit());
            operation(turn, "terminal/create", summary, "completed", null);
            return new CreateTerminalResponse(id);
        } catch (CapabilityException e) {
            operation(turn, "terminal/create", summary, "failed", e.getMessage());
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public TerminalOutputResponse terminalOutput(TerminalOutputRequest request) throws JsonRpcException {
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
        try {
            ExitStatus status = turn().terminals.waitForExit(request.terminalId());
            return new WaitForTerminalExitResponse(status.code(), status.signal());
        } catch (CapabilityException e) {
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public void killTerminal(KillTerminalRequest request) throws JsonRpcException {
        try {
            turn().terminals.kill(request.terminalId());
        } catch (CapabilityException e) {
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    @Override
    public void releaseTerminal(ReleaseTerminalRequest request) throws JsonRpcException {
        try {
            turn().terminals.release(request.terminalId());
        } catch (CapabilityException e) {
            throw new JsonRpcException(e.code(), e.getMessage());
        }
    }

    private static TerminalExitStatus exit(ExitStatus status) {
        return status == null ? null : new TerminalExitStatus(status.code(), status.signal());
    }

    private static void operation(TurnState turn, String method, String summary, String status, String details) {
        turn.listener.onEvent(new TurnEvent.ClientOperation(method, summary, status, details));
    }
}
