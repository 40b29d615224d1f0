package dev.acpx.core.queue;

import dev.acpx.api.TurnEvent;

/** A submitted turn as the owner keeps it: the request and where its replies go. */
record QueuedTurn(String requestId, TurnRequest request, boolean noWait, Outbox outbox) {

    /**
     * Sends one of the turn's events to the submitter if it waits and asked for this kind; waits
     * while the submitter has too much unread (back-pressure on the turn).
     */
    void event(TurnEvent event) {
        if (!noWait && request.interest().accepts(event)) {
            outbox.sendEvent(new IpcReply.Event(event));
        }
    }

    /** Sends the turn's last reply and lets the connection close. */
    void finish(IpcReply last) {
        if (!noWait) {
            outbox.send(last);
            outbox.release();
        }
    }
}
