package dev.acpx.core.engine.host;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * {@code --prompt-retries N} (SPEC-P2 §8, the Node acpx's src/session/execution/runtime.ts): a
 * failed {@code session/prompt} is sent again only when the agent answered an ACP internal
 * (-32603) or parse (-32700) error and the turn had no effect yet (no session update, no client
 * operation), after {@code min(1000·2^attempt, 10000)} ms, with a notice on the listener.
 */
final class PromptRetries {
    private PromptRetries() {}

    /** The Node acpx's backoff before retry number {@code attempt + 1}. */
    static long backoffMillis(int attempt) {
        return Math.min(1000L << Math.min(attempt, 4), 10_000L);
    }

    /** True for the agent errors the Node acpx retries. */
    static boolean retryable(AcpxException e) {
        if (e.kind() != ErrorKind.RUNTIME || e.agentError() == null) {
            return false;
        }
        int code = e.agentError().code();
        return code == -32603 || code == -32700;
    }

    /**
     * Runs {@code attempt} (given a listener that notes the turn's effects) up to {@code 1 + retries}
     * times. The wait counts against nothing but itself: each attempt has the turn's own limit.
     */
    static TurnResult run(int retries, TurnListener listener, Function<TurnListener, TurnResult> attempt) {
        for (int n = 0; ; n++) {
            AtomicBoolean effects = new AtomicBoolean();
            TurnListener watched = new TurnListener() {
                @Override
                public void onEvent(TurnEvent event) {
                    if (!(event instanceof TurnEvent.Wire) && !(event instanceof TurnEvent.AgentStderr)) {
                        effects.set(true);
                    }
                    listener.onEvent(event);
                }

                @Override
                public boolean wants(Class<? extends TurnEvent> kind) {
                    return listener.wants(kind);
                }

                @Override
                public long maxWireChars() {
                    return listener.maxWireChars();
                }

                @Override
                public boolean wantsUpdateWire() {
                    return listener.wantsUpdateWire();
                }

                @Override
                public void notice(String line) {
                    listener.notice(line);
                }
            };
            try {
                return attempt.apply(n == 0 && retries == 0 ? listener : watched);
            } catch (AcpxException e) {
                if (n >= retries || effects.get() || !retryable(e)) {
                    throw e;
                }
                long delay = backoffMillis(n);
                listener.notice("[acpx] prompt failed (" + e.agentError().message() + "), retrying in " + delay
                        + "ms (attempt " + (n + 1) + "/" + retries + ")");
                sleep(Duration.ofMillis(delay));
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while waiting to retry the prompt");
        }
    }
}
