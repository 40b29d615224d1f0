package dev.acpx.core.acp;

import dev.acpx.core.jsonrpc.JsonRpcException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Turns a failed request future back into the checked exceptions callers expect. */
final class Futures {
    private Futures() {}

    static <T> T await(CompletableFuture<T> future, Runnable onInterrupt)
            throws JsonRpcException, IOException, InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            if (onInterrupt != null) {
                onInterrupt.run();
            }
            throw e;
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (CancellationException e) {
            throw new InterruptedException("request cancelled locally");
        }
    }

    static <T> T awaitTimed(CompletableFuture<T> future, Duration timeout)
            throws JsonRpcException, IOException, InterruptedException, TimeoutException {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (CancellationException e) {
            throw new InterruptedException("request cancelled locally");
        }
    }

    /** Throws the cause when it is unchecked or a JsonRpcException; returns it as an IOException otherwise. */
    private static IOException unwrap(Throwable cause) throws JsonRpcException {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof JsonRpcException e) {
            throw e;
        }
        if (cause instanceof IOException e) {
            return e;
        }
        if (cause instanceof RuntimeException e) {
            throw e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IOException("request failed: " + cause, cause);
    }
}
