package dev.acpx.core.jsonrpc;

/** Which way a JSON-RPC line travelled, seen from this peer. */
public enum Direction {
    /** Read from the remote peer. */
    IN,
    /** Written to the remote peer. */
    OUT
}
