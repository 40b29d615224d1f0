package dev.acpx.core.queue;

import dev.acpx.api.ErrorKind;

/** A message from the queue owner to a caller (one JSON line on the caller's connection). */
public sealed interface IpcReply permits IpcReply.Accepted, IpcReply.Event, IpcReply.Done, IpcReply.Error,
        IpcReply.StatusReply, IpcReply.Ok, OwnerQuestion {

    /** The turn is queued; {@code position} turns run before it (0 = it starts now). */
    record Accepted(String requestId, int position) implements IpcReply {}

    /** One event of the caller's running turn. */
    record Event(IpcEvent event) implements IpcReply {}

    /** The caller's turn ended. */
    record Done(IpcTurnResult result) implements IpcReply {}

    /**
     * A request failed. {@code retryable} means nothing ran: the owner is retiring and a new owner
     * may take the same request.
     */
    record Error(ErrorKind kind, String message, boolean retryable) implements IpcReply {}

    /** The answer to {@code status}. */
    record StatusReply(OwnerStatus status) implements IpcReply {}

    /** A control request succeeded; {@code applied} is false for "nothing to cancel". */
    record Ok(boolean applied, String message) implements IpcReply {}
}
