package dev.acpx.core.engine.agent;

import dev.acpx.core.jsonrpc.JsonRpcException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a blocking ACP call under a deadline; the call is interrupted (and so cancelled) when it passes. */
public final class Timed {
    private Timed() {}

    public static <T> T run(AgentSession.AcpCall<T> call, Duration timeout)
            throws JsonRpcException, IOException, InterruptedException, TimeoutException {
        CompletableFuture<T> result = new CompletableFuture<>();
        // Virtual is right here: the call only waits on a response future (it parks); no native I/O,
        // since JSON-RPC writes happen on the peer's own writer thread.
        Thread worker = Thread.ofVirtual().start(() -> {
            try {
                result.complete(call.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw e;
        } catch (InterruptedException e) {
            worker.interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JsonRpcException j) {
                throw j;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    /** "2s", "1.5s": how a timeout reads in messages. */
    public static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + "s";
    }
}
