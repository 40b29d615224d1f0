package dev.acpx.core.jsonrpc;

/**
 * Observer of a {@link JsonRpcPeer}'s traffic. Called on the reader thread (for input) or the
 * writing thread (for output), so implementations must be quick and must not throw.
 */
public interface PeerListener {

    /** Every line read or written, verbatim (without the newline). */
    default void onMessage(Direction direction, String rawLine) {}

    /** Something malformed or unexpected arrived; the peer has skipped it and goes on. */
    default void onProblem(String description) {}

    /**
     * Whether {@link #onMessage} is to get the lines read, verbatim. When false, the peer parses a
     * line straight from its bytes and never makes it a string: one copy less of a big line.
     */
    default boolean wantsRawLines() {
        return true;
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
