package dev.acpx.core.queue;

/**
 * The owner could not take the request and nothing ran: it is shutting down (its TTL just expired,
 * or it was stopped) or vanished before accepting. Safe to retry with a new owner.
 */
public final class OwnerRetiringException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OwnerRetiringException(String message) {
        super(message);
    }
}
