package dev.acpx.core.queue;

/** A line on the queue socket that is not a message this version understands. */
public final class IpcFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public IpcFormatException(String message) {
        super(message);
    }
}
