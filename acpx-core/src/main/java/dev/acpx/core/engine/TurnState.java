package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import dev.acpx.core.capability.TerminalManager;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one turn accumulates while it runs: where its events go, the policy that answers its
 * permission requests, what was granted or denied, and a failure that must end it (a policy
 * that cannot ask, for instance).
 */
final class TurnState {
    final TurnListener listener;
    final PermissionPolicy permissions;
    final AtomicInteger granted = new AtomicInteger();
    final AtomicInteger denied = new AtomicInteger();
    /** Grants not yet used by a write: a write the agent asked permission for goes through. */
    final AtomicInteger unusedGrants = new AtomicInteger();
    final AtomicReference<AcpxException> failure = new AtomicReference<>();
    /** Terminals live for one turn: their trees are ended when it ends (SPEC §6). */
    final TerminalManager terminals;

    TurnState(TurnListener listener, PermissionPolicy permissions, TerminalManager terminals) {
        this.listener = listener;
        this.permissions = permissions;
        this.terminals = terminals;
    }

    void fail(AcpxException e) {
        failure.compareAndSet(null, e);
    }
}
