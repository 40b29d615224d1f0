package dev.acpx.core.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * A request we sent: its wire id (for {@link JsonRpcPeer#cancelRequest(Object)}) and its result.
 * The future completes on the peer's reader thread; see {@link JsonRpcPeer} for the ordering rule.
 */
public record Outgoing(long id, CompletableFuture<JsonNode> result) {}
