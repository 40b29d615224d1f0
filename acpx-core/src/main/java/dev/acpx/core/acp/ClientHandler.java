package dev.acpx.core.acp;

import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.protocol.CreateTerminalRequest;
import dev.acpx.core.protocol.CreateTerminalResponse;
import dev.acpx.core.protocol.KillTerminalRequest;
import dev.acpx.core.protocol.ReadTextFileRequest;
import dev.acpx.core.protocol.ReadTextFileResponse;
import dev.acpx.core.protocol.ReleaseTerminalRequest;
import dev.acpx.core.protocol.RequestPermissionRequest;
import dev.acpx.core.protocol.RequestPermissionResponse;
import dev.acpx.core.protocol.SessionNotification;
import dev.acpx.core.protocol.TerminalOutputRequest;
import dev.acpx.core.protocol.TerminalOutputResponse;
import dev.acpx.core.protocol.WaitForTerminalExitRequest;
import dev.acpx.core.protocol.WaitForTerminalExitResponse;
import dev.acpx.core.protocol.WriteTextFileRequest;
import dev.acpx.core.protocol.WriteTextFileResponse;

/**
 * What the client does when the agent calls it. A JsonRpcException becomes the JSON-RPC error
 * the agent sees; an interruption (the agent sent {@code $/cancel_request}, or the connection
 * ended) becomes "request cancelled".
 *
 * <p>{@link #sessionUpdate} runs on the connection's reader thread, in arrival order, and must
 * return quickly; the request methods each run on their own virtual thread and may block.
 */
public interface ClientHandler {

    void sessionUpdate(SessionNotification notification);

    RequestPermissionResponse requestPermission(RequestPermissionRequest request)
            throws JsonRpcException, InterruptedException;

    ReadTextFileResponse readTextFile(ReadTextFileRequest request) throws JsonRpcException, InterruptedException;

    WriteTextFileResponse writeTextFile(WriteTextFileRequest request) throws JsonRpcException, InterruptedException;

    CreateTerminalResponse createTerminal(CreateTerminalRequest request) throws JsonRpcException, InterruptedException;

    TerminalOutputResponse terminalOutput(TerminalOutputRequest request) throws JsonRpcException, InterruptedException;

    WaitForTerminalExitResponse waitForTerminalExit(WaitForTerminalExitRequest request)
            throws JsonRpcException, InterruptedException;

    void killTerminal(KillTerminalRequest request) throws JsonRpcException, InterruptedException;

    void releaseTerminal(ReleaseTerminalRequest request) throws JsonRpcException, InterruptedException;

    /**
     * ACP 2026 {@code elicitation/create}: the agent asks the user for input; the answer is the
     * schema's {@code CreateElicitationResponse}. Default: declined (nobody to ask).
     */
    default com.fasterxml.jackson.databind.JsonNode createElicitation(com.fasterxml.jackson.databind.JsonNode params)
            throws JsonRpcException, InterruptedException {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("action", "decline");
    }

    /** ACP 2026 {@code elicitation/complete}: a URL elicitation ended on the agent's side. Default: ignored. */
    default void elicitationComplete(com.fasterxml.jackson.databind.JsonNode params) {
    }
}
