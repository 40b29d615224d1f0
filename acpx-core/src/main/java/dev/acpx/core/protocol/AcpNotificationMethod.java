package dev.acpx.core.protocol;

/** An ACP notification method: its wire name tied to its params type. */
public record AcpNotificationMethod<P>(String name, Class<P> params) {}
