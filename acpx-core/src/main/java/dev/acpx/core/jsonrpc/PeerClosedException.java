package dev.acpx.core.jsonrpc;

import java.io.IOException;

/** The connection to the remote peer is gone: its output ended, or we closed it, or a write failed. */
public final class PeerClosedException extends IOException {
    public PeerClosedException(String message) {
        super(message);
    }

    public PeerClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
