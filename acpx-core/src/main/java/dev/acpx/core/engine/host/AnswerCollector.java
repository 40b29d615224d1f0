package dev.acpx.core.engine.host;

import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;

/**
 * Passes a turn's events on to its listener while keeping what the session record needs of them:
 * the agent's answer text (for the history) and its side signals (usage, title, ...).
 */
final class AnswerCollector implements TurnListener {
    private final TurnListener events;
    private final StringBuilder answer = new StringBuilder();
    private final SignalRecorder signals = new SignalRecorder();

    AnswerCollector(TurnListener events) {
        this.events = events;
    }

    @Override
    public void onEvent(TurnEvent event) {
        if (event instanceof TurnEvent.AgentText t) {
            answer.append(t.text());
        }
        signals.observe(event);
        events.onEvent(event);
    }

    @Override
    public boolean wants(Class<? extends TurnEvent> kind) {
        return events.wants(kind);
    }

    @Override
    public long maxWireChars() {
        return events.maxWireChars();
    }

    @Override
    public boolean wantsUpdateWire() {
        return events.wantsUpdateWire();
    }

    /** The answer so far; empty when the agent said nothing. */
    String answer() {
        return answer.toString();
    }

    SignalRecorder signals() {
        return signals;
    }
}
