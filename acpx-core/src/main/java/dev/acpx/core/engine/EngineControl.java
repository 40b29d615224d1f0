package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;

/** The host-facing part of a control request (set-mode, set), run by {@link SessionEngine#control}. */
@FunctionalInterface
public interface EngineControl {
    String apply(SessionHost host) throws AcpxException;
}
