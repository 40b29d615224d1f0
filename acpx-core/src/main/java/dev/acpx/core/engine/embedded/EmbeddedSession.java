package dev.acpx.core.engine.embedded;

import dev.acpx.core.engine.AwaitedTurn;
import dev.acpx.core.engine.EngineTurn;
import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.engine.SessionEngine;
import dev.acpx.core.engine.TurnOutcome;
import dev.acpx.core.engine.host.PersistentHost;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.lifecycle.ProcessIdentity;
import dev.acpx.core.lifecycle.Slot;
import dev.acpx.core.lifecycle.HostFileLock;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.queue.OwnerServer;
import dev.acpx.core.queue.OwnerSettings;
import dev.acpx.core.queue.QueuePaths;
import dev.acpx.api.ClientAccess;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session held inside an embedding JVM (SPEC §10): the host JVM is its queue owner. It is a
 * {@link SessionEngine} used in-process (its queue runs the prompts of every thread one at a time,
 * in arrival order) over a {@link PersistentHost}; it holds the session's owner lock (so no owner
 * process starts beside it) and a host-wide slot while open, and marks the record with this JVM as
 * an <em>embedded</em> owner, so listings measure it as running while this JVM lives, and
 * {@code sessions close} from a CLI never signals the host JVM.
 */
public final class EmbeddedSession {
    /** How long an interrupted prompt waits for its cancelled turn to end before it returns. */
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);

    private final PersistentHost host;
    private final SessionEngine engine;
    private final OwnerServer server;
    private final String recordId;
    private final boolean oneShot;
    private final HostFileLock ownerLock;
    private final Slot slot;
    private final Runnable onClose;
    private final AtomicInteger completed = new AtomicInteger();
    private volatile boolean closed;
    private volatile String closedReason;

    /** @param journal the hook {@code host} was built with: the engine reports its turns to it too */
    /**
     * @param journal the hook {@code host} was built with: the engine reports its turns to it too
     * @param sharing how to serve the session to CLI callers on its queue socket, or null to keep it
     *                to this JVM (one-shot work)
     */
    public EmbeddedSession(PersistentHost host, SessionRecord record, HostFileLock ownerLock,
                           Slot slot, Runnable onClose, JournalHook journal, Clock clock, Sharing sharing) {
        this.host = host;
        this.recordId = record.acpxRecordId();
        this.oneShot = record.isOneShot();
        this.ownerLock = ownerLock;
        this.slot = slot;
        this.onClose = onClose;
        ProcessIdentity.current().ifPresent(host::markOwner);
        this.server = sharing == null ? null : sharing.serve(recordId, ownerLock, host, journal, clock);
        if (server != null) {
            this.engine = server.engine();
        } else {
            // No depth limit and no idle timer: the host JVM decides how many wait and when the session ends.
            this.engine = new SessionEngine(recordId, Integer.MAX_VALUE, Duration.ZERO, j -> host, journal, clock,
                    reason -> { });
            engine.start();
        }
    }

    /**
     * Serving a host's persistent session on its queue socket, as an owner process serves one: a
     * CLI {@code prompt}, {@code status}, {@code cancel} or {@code set-mode} of that session then
     * reaches this JVM's engine, its turns queued with the host's own in arrival order.
     */
    public record Sharing(QueuePaths paths, ObjectMapper mapper, ClientAccess access) {
        /** The server, or null when the socket cannot be bound (the session then stays this JVM's). */
        OwnerServer serve(String recordId, HostFileLock lock, PersistentHost host, JournalHook journal, Clock clock) {
            // No idle timer, and no depth limit beyond the host's own: the host decides when the session ends.
            OwnerSettings settings = new OwnerSettings(Integer.MAX_VALUE, Duration.ZERO, SHARED_SHUTDOWN_GRACE,
                    OwnerSettings.DEFAULT_CALLER_STALL_LIMIT, access);
            try {
                return OwnerServer.serve(paths, recordId, lock, settings, j -> host, journal, mapper, clock);
            } catch (AcpxException e) {
                // a socket path too long for the kernel, an unwritable queue directory: the host's
                // own use is unaffected; a CLI caller is then told the session is held here
                return null;
            }
        }
    }

    private static final Duration SHARED_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** How long close waits for the socket to be released before it frees the lock anyway. */
    private static final Duration SERVER_EXIT_WAIT = Duration.ofSeconds(5);

    /** Whether CLI callers can reach this session on its queue socket. */
    public boolean shared() {
        return server != null;
    }

    public String recordId() {
        return recordId;
    }

    public boolean oneShot() {
        return oneShot;
    }

    /** Runs one turn after the ones already waiting; blocks until it ends. */
    public TurnResult prompt(String text, PermissionPolicy policy, Duration timeout, TurnListener listener) {
        ensureOpen();
        checkNotClosedElsewhere();
        String requestId = UUID.randomUUID().toString();
        AwaitedTurn turn = new AwaitedTurn();
        engine.submit(new EngineTurn(requestId, text, policy, timeout, listener, turn));
        TurnOutcome last;
        try {
            last = turn.await();
        } catch (InterruptedException e) {
            // Dropped if it waits, cancelled at the agent if it runs; its end is awaited briefly.
            engine.cancel(requestId);
            turn.awaitQuietly(INTERRUPT_GRACE);
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while waiting for the session's turn");
        }
        return switch (last) {
            case TurnOutcome.Completed done -> {
                completed.incrementAndGet();
                if (host.closedElsewhere() != null) {
                    // closed while the turn ran: its answer is kept, the agent ends now, not at the next use
                    close("closed elsewhere: " + host.closedElsewhere());
                }
                yield done.result();
            }
            case TurnOutcome.Failed failed -> throw failure(failed.error());
        };
    }

    /**
     * The socket goes before the lock (the server deletes its socket file while it still holds the
     * lock; afterwards the path may belong to the next owner).
     */
    private void awaitServerExit() {
        if (server == null) {
            return;
        }
        try {
            server.awaitExit(SERVER_EXIT_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            // it failed to stop cleanly: the lock is freed below all the same
        }
    }

    private AcpxException failure(AcpxException e) {
        if (e.kind() == ErrorKind.NO_SESSION && host.closedElsewhere() != null) {
            close("closed elsewhere: " + host.closedElsewhere()); // the host refused the turn: this handle ends too
            return e;
        }
        if (closed && e.kind() != ErrorKind.NO_SESSION) { // NO_SESSION: closed before the turn began
            return new AcpxException(ErrorKind.INTERRUPTED, "the session was closed during the turn ("
                    + closedReason + ")", e.detail(), e);
        }
        return e;
    }

    /** {@code sessions close} from outside closed the record: this handle ends too (the close request). */
    private void checkNotClosedElsewhere() {
        String why = host.closedElsewhere();
        if (why != null) {
            close("closed elsewhere: " + why);
            throw new AcpxException(ErrorKind.NO_SESSION, "session " + recordId + " was closed (" + why
                    + "); open a new one");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new AcpxException(ErrorKind.NO_SESSION, "session " + recordId + " is closed (" + closedReason
                    + "); open a new one");
        }
    }

    /** Sends {@code session/cancel} for the running turn; false when none runs. */
    public boolean cancel() {
        return !closed && engine.cancel(null).applied();
    }

    public void setMode(String modeId) {
        ensureOpen();
        engine.control(h -> {
            h.setMode(modeId);
            return null;
        });
    }

    public String setOption(String key, String value) {
        ensureOpen();
        return engine.control(h -> h.setConfigOption(key, value));
    }

    /** Measured now: the agent's pid only while its process is alive. */
    public Long agentPid() {
        return closed ? null : host.status().agentPid();
    }

    public String acpSessionId() {
        return host.status().acpSessionId();
    }

    public String modeId() {
        return host.status().modeId();
    }

    public boolean turnRunning() {
        return engine.status().runningRequestId() != null;
    }

    public int queued() {
        return engine.status().queueDepth();
    }

    public int turnsCompleted() {
        return completed.get();
    }

    public boolean closed() {
        return closed;
    }

    public String closedReason() {
        return closedReason;
    }

    /** The last exit the record holds for this session's agent, or null. */
    public String lastAgentExit() {
        SessionRecord r = host.record();
        Integer code = r.lastAgentExitCode();
        String signal = r.lastAgentExitSignal();
        return code != null ? "code " + code : signal != null ? "signal " + signal : null;
    }

    public SessionRecord record() {
        return host.record();
    }

    /**
     * Ends the agent tree (a running turn fails at once), writes the record (a one-shot one
     * closed, with when and why; a persistent one open and resumable), then frees the owner lock
     * and the slot. Idempotent.
     */
    public void close(String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closedReason = reason;
            closed = true;
        }
        try {
            // The engine stops (waiting turns are told, a running one ends with its agent); the host
            // is closed here too, on this thread, so the record is written when close returns even
            // if the engine's worker has not taken the host yet (PersistentHost.close is idempotent).
            engine.shutdown(reason);
            host.close(reason);
            awaitServerExit();
        } finally {
            ownerLock.close();
            if (slot != null) {
                slot.close();
            }
            onClose.run();
        }
    }
}
