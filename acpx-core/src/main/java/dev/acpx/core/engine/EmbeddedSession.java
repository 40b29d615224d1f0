package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.lifecycle.ProcessIdentity;
import dev.acpx.core.lifecycle.Slot;
import dev.acpx.core.lifecycle.HostFileLock;
import dev.acpx.core.session.SessionRecord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session held inside an embedding JVM (SPEC §10): the host JVM is its queue owner. It drives a
 * {@link PersistentHost} directly, holds the session's owner lock (so no owner process starts
 * beside it) and a host-wide slot while open, and marks the record with this JVM as an
 * <em>embedded</em> owner, so listings measure it as running while this JVM lives, and
 * {@code sessions close} from a CLI never signals the host JVM.
 */
public final class EmbeddedSession {
    /** Record key naming what kind of process the recorded owner is. */
    public static final String OWNER_KIND = "owner_kind";
    /** {@link #OWNER_KIND} of a session held by an embedding JVM. */
    public static final String EMBEDDED = "embedded";

    private final PersistentHost host;
    private final String recordId;
    private final boolean oneShot;
    private final HostFileLock ownerLock;
    private final Slot slot;
    private final Runnable onClose;
    // Fair: turns run one at a time in arrival order, as an owner's queue runs them.
    private final ReentrantLock turns = new ReentrantLock(true);
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean closed;
    private volatile String closedReason;

    public EmbeddedSession(PersistentHost host, SessionRecord record, HostFileLock ownerLock,
                           Slot slot, Runnable onClose) {
        this.host = host;
        this.recordId = record.acpxRecordId();
        this.oneShot = record.isOneShot();
        this.ownerLock = ownerLock;
        this.slot = slot;
        this.onClose = onClose;
        ProcessIdentity.current().ifPresent(host::markOwner);
    }

    /** Marks a record (before its host is built) as owned by an embedding JVM. */
    public static void markEmbedded(SessionRecord record) {
        record.json().put(OWNER_KIND, EMBEDDED);
    }

    /** True when the record's owner, if any, is an embedding JVM rather than an owner process. */
    public static boolean isEmbedded(SessionRecord record) {
        return EMBEDDED.equals(record.json().path(OWNER_KIND).asText(null));
    }

    public String recordId() {
        return recordId;
    }

    public boolean oneShot() {
        return oneShot;
    }

    /** Runs one turn after the ones already waiting; blocks until it ends. */
    public TurnResult prompt(String text, PermissionPolicy policy, Duration timeout, TurnListener listener) {
        waiting.incrementAndGet();
        try {
            turns.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while waiting for the session's turn");
        } finally {
            waiting.decrementAndGet();
        }
        try {
            ensureOpen();
            checkNotClosedElsewhere();
            TurnResult r = host.runTurn(text, policy, timeout, listener);
            completed.incrementAndGet();
            if (host.closedElsewhere() != null) {
                // closed while the turn ran: its answer is kept, the agent ends now, not at the next use
                close("closed elsewhere: " + host.closedElsewhere());
            }
            return r;
        } catch (AcpxException e) {
            if (closed && e.kind() != ErrorKind.NO_SESSION) { // NO_SESSION: closed before the turn began
                throw new AcpxException(ErrorKind.INTERRUPTED, "the session was closed during the turn ("
                        + closedReason + ")", e.detail(), e);
            }
            throw e;
        } finally {
            turns.unlock();
        }
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
        return !closed && host.cancelCurrent();
    }

    public void setMode(String modeId) {
        ensureOpen();
        host.setMode(modeId);
    }

    public String setOption(String key, String value) {
        ensureOpen();
        return host.setConfigOption(key, value);
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
        return turns.isLocked();
    }

    public int queued() {
        return waiting.get();
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
            host.close(reason);
        } finally {
            ownerLock.close();
            if (slot != null) {
                slot.close();
            }
            onClose.run();
        }
    }
}
