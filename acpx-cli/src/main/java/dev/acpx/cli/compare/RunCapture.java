package dev.acpx.cli.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AgentSignal;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;

/**
 * What compare keeps of one run while its output is discarded: the answer's text, the last token
 * usage, the permission requests with how many were refused, and the {@code _meta} of the prompt's
 * response (a row carries it as the Node acpx's does). Events may come from the runtime's threads,
 * hence the lock.
 */
final class RunCapture implements TurnListener {
    /** The prompt response is small; a longer message is not one compare reads. */
    private static final long MAX_WIRE = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final StringBuilder answer = new StringBuilder();
    private JsonNode responseMeta;
    private AgentSignal.Usage usage;
    private int requested;
    private int denied;


    @Override
    public synchronized void onEvent(TurnEvent event) {
        switch (event) {
            case TurnEvent.AgentText t -> answer.append(t.text());
            case TurnEvent.Signal s when s.signal() instanceof AgentSignal.Usage u -> usage = u;
            case TurnEvent.PermissionAsked p -> {
                requested++;
                if (!"allowed".equals(p.outcome())) {
                    denied++;
                }
            }
            case TurnEvent.Wire w when w.direction() == TurnEvent.Direction.FROM_AGENT && w.json().contains("\"stopReason\"") ->
                    promptResponse(w.json());
            default -> { }
        }
    }

    private void promptResponse(String json) {
        try {
            JsonNode meta = JSON.readTree(json).path("result").path("_meta");
            if (!meta.isMissingNode()) {
                responseMeta = meta;
            }
        } catch (java.io.IOException e) {
            // not a message compare reads
        }
    }

    /** Agent stderr is never needed; of the raw messages only the agent's answers, never the update flood. */
    @Override
    public boolean wants(Class<? extends TurnEvent> kind) {
        return kind != TurnEvent.AgentStderr.class;
    }

    @Override
    public long maxWireChars() {
        return MAX_WIRE;
    }

    @Override
    public boolean wantsUpdateWire() {
        return false;
    }

    /** The {@code _meta} of the prompt's response, or null when it had none. */
    synchronized JsonNode responseMeta() {
        return responseMeta;
    }

    synchronized String answer() {
        return answer.toString();
    }

    synchronized Long input() {
        return usage == null ? null : usage.inputTokens();
    }

    synchronized Long output() {
        return usage == null ? null : usage.outputTokens();
    }

    synchronized Long total() {
        return usage == null ? null : usage.totalTokens();
    }

    synchronized int requested() {
        return requested;
    }

    synchronized int denied() {
        return denied;
    }
}
