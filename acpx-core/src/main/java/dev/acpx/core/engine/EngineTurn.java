package dev.acpx.core.engine;

import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import java.time.Duration;
import java.util.Objects;

/**
 * One prompt submitted to a {@link SessionEngine}.
 *
 * @param requestId unique among the engine's waiting and running turns (cancel names it)
 * @param policy    decides the agent's permission requests of this turn
 * @param timeout   the turn's limit, or null for none
 * @param events    gets the turn's events (and says which kinds it wants)
 * @param sink      gets accepted and the outcome
 * @param promptRetries how often the host sends a transiently failed prompt again (0 = never)
 */
public record EngineTurn(String requestId, String prompt, PermissionPolicy policy, Duration timeout,
                         TurnListener events, TurnSink sink, int promptRetries) {
    /** A turn sent once. */
    public EngineTurn(String requestId, String prompt, PermissionPolicy policy, Duration timeout,
                      TurnListener events, TurnSink sink) {
        this(requestId, prompt, policy, timeout, events, sink, 0);
    }

    public EngineTurn {
        if (promptRetries < 0) {
            throw new IllegalArgumentException("promptRetries must not be negative, got " + promptRetries);
        }
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(sink, "sink");
    }
}
