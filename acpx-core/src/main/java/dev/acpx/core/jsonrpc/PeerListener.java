package dev.acpx.core.jsonrpc;

/**
 * Observer of a {@link JsonRpcPeer}'s traffic. Called on the reader thread (for input) or the
 * writing thread (for output), so implementations must be quick and must not throw.
 */
public interface PeerListener {

    /** Every line read or written, verbatim (without the newline). */
    default void onMessage(Direction direction, String rawLine) {}

    /**
     * A line read whose text {@link #wantsRawLine} did not ask for, as its bytes, before it is parsed
     * (the session journal writes it from them: a big line is never also a string). The bytes are
     * only lent: read them during the call.
     */
    default void onMessageBytes(Direction direction, ByteLine line) {}

    /** Something malformed or unexpected arrived; the peer has skipped it and goes on. */
    default void onProblem(String description) {}

    /**
     * Whether {@link #onMessage} is to get the lines read, verbatim. When false, the peer parses a
     * line straight from its bytes and never makes it a string: one copy less of a big line.
     */
    default boolean wantsRawLines() {
        return true;
    }

    /** As {@link #wantsRawLines()}, for one line of {@code bytes} bytes (a listener may want small ones only). */
    default boolean wantsRawLine(long bytes) {
        return wantsRawLines();
    }

    /** A listener that ignores everything. */
    static PeerListener none() {
        return new PeerListener() {
            @Override
            public boolean wantsRawLines() {
                return false;
            }
        };
    }
}
