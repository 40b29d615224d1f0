package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An engine's {@link SessionHost} through its life: opening (on the engine's worker), open, failed
 * to open, closed. Closing happens once, whoever asks first (shutdown, or the worker as it stops).
 */
final class HostHolder {
    private final String recordId;
    private final CompletableFuture<SessionHost> ready = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    HostHolder(String recordId) {
        this.recordId = recordId;
    }

    void opened(SessionHost host) {
        ready.complete(host);
    }

    void failed(Throwable failure) {
        ready.completeExceptionally(failure);
    }

    /** The host if it opened, else null (still opening, or failed to open); closed or not. */
    SessionHost ifOpened() {
        return ready.isDone() && !ready.isCompletedExceptionally() ? ready.join() : null;
    }

    /** The host if it is open and not closed, else null. */
    SessionHost ifOpen() {
        return closed.get() ? null : ifOpened();
    }

    /** Waits for the host to open (control requests may come while the agent starts). */
    SessionHost await() {
        try {
            return ready.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof AcpxException a ? a : new AcpxException(ErrorKind.RUNTIME,
                    "could not open session " + recordId + ": " + cause, null, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while the session " + recordId + " opened");
        }
    }

    /** Closes the host once, if it opened; a host still opening is closed by the worker when it stops. */
    void close(String reason) {
        SessionHost host = ifOpened();
        if (host != null && closed.compareAndSet(false, true)) {
            host.close(reason);
        }
    }
}
