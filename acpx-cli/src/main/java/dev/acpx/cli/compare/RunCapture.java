package dev.acpx.cli.compare;

import dev.acpx.api.AgentSignal;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;

/**
 * What compare keeps of one run while its output is discarded: the answer's text, the last token
 * usage, and the permission requests with how many were refused. Events may come from the
 * runtime's threads, hence the lock.
 */
final class RunCapture implements TurnListener {
    private final StringBuilder answer = new StringBuilder();
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
            default -> { }
        }
    }

    /** Raw messages and agent stderr are never needed: the engine need not even make them. */
    @Override
    public boolean wants(Class<? extends TurnEvent> kind) {
        return kind != TurnEvent.Wire.class && kind != TurnEvent.AgentStderr.class;
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
