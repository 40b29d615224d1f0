package dev.acpx.core.acp;

import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.protocol.PromptResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A {@code session/prompt} in flight. The future completes on the connection's reader thread
 * after every session/update sent before the response has been delivered to the handler.
 *
 * @param requestId the JSON-RPC id, for {@link AcpClientConnection#cancelRequest(long)}
 * @param response  the agent's answer; fails with JsonRpcException, PeerClosedException or
 *                  AcpProtocolException
 */
public record PendingPrompt(long requestId, CompletableFuture<PromptResponse> response) {

    /** Waits for the end of the turn. */
    public PromptResponse await() throws JsonRpcException, IOException, InterruptedException {
        return Futures.await(response, null);
    }

    /** Waits at most {@code timeout}; on timeout the turn keeps running (cancel it if you give up). */
    public PromptResponse await(Duration timeout)
            throws JsonRpcException, IOException, InterruptedException, TimeoutException {
        return Futures.awaitTimed(response, timeout);
    }
}
