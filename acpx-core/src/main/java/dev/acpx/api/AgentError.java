package dev.acpx.api;

/**
 * The JSON-RPC error an agent answered with, kept on the failure it caused so json output can
 * show it as the Node acpx does (its code and message, its data merged over acpx's).
 *
 * @param dataJson the error's {@code data} member as JSON text, or null
 */
public record AgentError(int code, String message, String dataJson) {}
