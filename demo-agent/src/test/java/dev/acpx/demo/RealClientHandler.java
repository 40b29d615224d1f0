package dev.acpx.demo;

import dev.acpx.core.acp.ClientHandler;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.protocol.CreateTerminalRequest;
import dev.acpx.core.protocol.CreateTerminalResponse;
import dev.acpx.core.protocol.KillTerminalRequest;
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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real client for tests: real files, real processes per terminal id, and a scripted answer to
 * permission requests ("block" waits, then answers cancelled; anything else selects that option
 * id, or the first option whose id starts with it). Records the order of calls.
 */
final class RealClientHandler implements ClientHandler {
    private final List<SessionUpdate> updates;
    private final List<String> calls;
    private final Supplier<String> permission;
    private final Map<String, Process> terminals = new ConcurrentHashMap<>();
    private final AtomicInteger nextTerminal = new AtomicInteger(1);

    RealClientHandler(List<SessionUpdate> updates, List<String> calls, Supplier<String> permission) {
        this.updates = updates;
        this.calls = calls;
        this.permission = permission;
    }

    @Override
    public void sessionUpdate(SessionNotification n) {
        updates.add(n.update());
    }

    @Override
    public RequestPermissionResponse requestPermission(RequestPermissionRequest r) throws InterruptedException {
        calls.add("permission");
        String answer = permission.get();
        if (answer.equals("block")) {
            Thread.sleep(200);
            return new RequestPermissionResponse(new RequestPermissionOutcome.Cancelled());
        }
        String chosen = r.options() == null ? answer : r.options().stream()
                .map(o -> o.optionId()).filter(id -> id.startsWith(answer)).findFirst().orElse(answer);
        return new RequestPermissionResponse(new RequestPermissionOutcome.Selected(chosen));
    }

    @Override
    public ReadTextFileResponse readTextFile(ReadTextFileRequest r) throws JsonRpcException {
        calls.add("read");
        try {
            return new ReadTextFileResponse(Files.readString(Path.of(r.path())));
        } catch (IOException e) {
            throw new JsonRpcException(-32002, "cannot read " + r.path() + ": " + e);
        }
    }

    @Override
    public WriteTextFileResponse writeTextFile(WriteTextFileRequest r) throws JsonRpcException {
        calls.add("write");
        try {
            Files.writeString(Path.of(r.path()), r.content());
            return new WriteTextFileResponse(null);
        } catch (IOException e) {
            throw new JsonRpcException(-32603, "cannot write " + r.path() + ": " + e);
        }
    }

    @Override
    public CreateTerminalResponse createTerminal(CreateTerminalRequest r) throws JsonRpcException {
        calls.add("create");
        List<String> cmd = new ArrayList<>(List.of(r.command()));
        if (r.args() != null) {
            cmd.addAll(r.args());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (r.cwd() != null) {
            pb.directory(Path.of(r.cwd()).toFile());
        }
        try {
            String id = "term-" + nextTerminal.getAndIncrement();
            terminals.put(id, pb.start());
            return new CreateTerminalResponse(id);
        } catch (IOException e) {
            throw new JsonRpcException(-32603, "cannot start " + cmd + ": " + e);
        }
    }

    private Process terminal(String id) throws JsonRpcException {
        Process p = terminals.get(id);
        if (p == null) {
            throw new JsonRpcException(-32602, "unknown terminal " + id);
        }
        return p;
    }

    @Override
    public TerminalOutputResponse terminalOutput(TerminalOutputRequest r) throws JsonRpcException {
        calls.add("output");
        Process p = terminal(r.terminalId());
        try {
            InputStream in = p.getInputStream();
            // Only what is already buffered: the agent asks for output while the process may still run.
            String out = new String(in.readNBytes(in.available()), StandardCharsets.UTF_8);
            TerminalExitStatus exit = p.isAlive() ? null : new TerminalExitStatus(p.exitValue(), null);
            return new TerminalOutputResponse(out, false, exit);
        } catch (IOException e) {
            throw new JsonRpcException(-32603, "cannot read terminal output: " + e);
        }
    }

    @Override
    public WaitForTerminalExitResponse waitForTerminalExit(WaitForTerminalExitRequest r)
            throws JsonRpcException, InterruptedException {
        calls.add("wait");
        return new WaitForTerminalExitResponse(terminal(r.terminalId()).waitFor(), null);
    }

    @Override
    public void killTerminal(KillTerminalRequest r) throws JsonRpcException {
        calls.add("kill");
        terminal(r.terminalId()).destroyForcibly();
    }

    @Override
    public void releaseTerminal(ReleaseTerminalRequest r) throws JsonRpcException {
        calls.add("release");
        Process p = terminals.remove(r.terminalId());
        if (p == null) {
            throw new JsonRpcException(-32602, "unknown terminal " + r.terminalId());
        }
        p.destroyForcibly();
    }

    /** Kills every terminal still running. */
    void killAll() {
        terminals.values().forEach(Process::destroyForcibly);
    }
}
