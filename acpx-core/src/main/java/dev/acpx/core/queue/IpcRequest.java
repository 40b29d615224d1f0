package dev.acpx.core.queue;

/** A message from a caller to the queue owner (one JSON line on the owner's socket). */
public sealed interface IpcRequest permits IpcRequest.Submit, IpcRequest.Cancel, IpcRequest.SetMode,
        IpcRequest.SetConfig, IpcRequest.Status, IpcRequest.Ping, CallerAnswer {

    /** Queue a turn; with {@code noWait} the caller leaves after {@code accepted}. */
    record Submit(String requestId, TurnRequest turn, boolean noWait) implements IpcRequest {}

    /** Cancel the turn {@code requestId} (queued or running), or the running turn when null. */
    record Cancel(String requestId) implements IpcRequest {}

    /** Switch the session's mode. */
    record SetMode(String modeId) implements IpcRequest {}

    /** Set a session config option. */
    record SetConfig(String key, String value) implements IpcRequest {}

    /** Ask for {@link OwnerStatus}. */
    record Status() implements IpcRequest {}

    /**
     * Liveness probe and hello; answered by {@code ok} at once, even while a turn runs. It carries
     * the caller's queue protocol version ({@link IpcCodec#PROTOCOL_VERSION}): an owner that speaks
     * another one refuses, and the caller retires it and starts its own.
     */
    record Ping(int protocolVersion) implements IpcRequest {
        /** A ping of this build's protocol. */
        public Ping() {
            this(IpcCodec.PROTOCOL_VERSION);
        }
    }
}
