package dev.acpx.core.protocol;

/**
 * An ACP request method: its wire name tied to its params and result types.
 *
 * @param name   the JSON-RPC method name
 * @param params the params record
 * @param result the result record
 */
public record AcpMethod<P, R>(String name, Class<P> params, Class<R> result) {}
