package dev.acpx.core.engine.agent;

import dev.acpx.api.AcpxException;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import dev.acpx.core.capability.TerminalManager;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one turn accumulates while it runs: where its events go, the policy that answers its
 * permission requests, what was granted or denied, which approvals may cover the turn's own writes
 * and terminals, and a failure that must end it (a policy that cannot ask, for instance). All of it
 * dies with the turn: a refusal never counts against the next turn of a warm session.
 */
final class TurnState {
    final TurnListener listener;
    final PermissionPolicy permissions;
    final AtomicInteger granted = new AtomicInteger();
    final AtomicInteger denied = new AtomicInteger();
    final ApprovedCalls approvals = new ApprovedCalls();
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
