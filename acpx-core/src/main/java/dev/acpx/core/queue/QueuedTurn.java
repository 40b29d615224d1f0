package dev.acpx.core.queue;

/** A submitted turn as the owner keeps it: the request and where its replies go. */
record QueuedTurn(String requestId, TurnRequest request, boolean noWait, Outbox outbox) {

    /** Sends a reply to the submitter unless it chose not to wait. */
    void reply(String line) {
        if (!noWait) {
            outbox.send(line);
        }
    }

    /** Sends the turn's last reply and lets the connection close. */
    void finish(String line) {
        if (!noWait) {
            outbox.send(line);
            outbox.release();
        }
    }
}
