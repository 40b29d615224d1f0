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
 */
public record EngineTurn(String requestId, String prompt, PermissionPolicy policy, Duration timeout,
                         TurnListener events, TurnSink sink) {
    public EngineTurn {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(sink, "sink");
    }
}
