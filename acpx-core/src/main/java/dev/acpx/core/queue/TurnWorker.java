package dev.acpx.core.queue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The queue and the one thread that runs its turns, in arrival order, on the {@link SessionHost}.
 * It also owns the idle timer: the worker itself waits for work with a deadline measured from the
 * end of the last turn (or control request), so the timer cannot fire while a turn runs or waits.
 */
final class TurnWorker {

    /** The host-facing part of a control request. */
    @FunctionalInterface
    interface Control {
        String apply(SessionHost host) throws AcpxException;
    }

    private final String recordId;
    private final OwnerSettings settings;
    private final SessionHostFactory hosts;
    private final Clock clock;
    private final Consumer<String> onStopped;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<QueuedTurn> waiting = new ArrayDeque<>();
    private final CallerQuestions questions;
    private final CompletableFuture<SessionHost> hostReady = new CompletableFuture<>();
    private final AtomicBoolean hostClosed = new AtomicBoolean();
    private final Instant startedAt;
    private QueuedTurn running;
    private int controlsRunning;
    private boolean closing;
    /** Set when the host could not open: every later turn gets this answer (guarded by {@link #lock}). */
    private IpcReply.Error startFailure;
    private String closeReason;
    private long idleSinceNanos;
    private Instant idleSince;
    private long turnsCompleted;

    TurnWorker(String recordId, OwnerSettings settings, SessionHostFactory hosts, Clock clock,
               Consumer<String> onStopped) {
        this.recordId = recordId;
        this.settings = settings;
        this.hosts = hosts;
        this.clock = clock;
        this.onStopped = onStopped;
        this.questions = new CallerQuestions();
        this.startedAt = clock.instant();
        this.idleSinceNanos = System.nanoTime();
        this.idleSince = startedAt;
    }

    /** Where the callers' answers to their turns' questions go. */
    CallerQuestions questions() {
        return questions;
    }

    void start() {
        // A platform thread: on JDK 25 a virtual thread parked for a long timed wait (the idle TTL,
        // minutes) was seen never to wake up again, which left owners running past their TTL.
        Thread.ofPlatform().name("acpx-queue-worker").daemon(true).start(this::run);
    }

    /** Queues a turn (or refuses it at once) and answers {@code accepted} before any of its events. */
    void submit(QueuedTurn turn) {
        lock.lock();
        try {
            IpcReply refusal = null;
            if (startFailure != null) {
                // Not "retry on a new owner": it would fail the same way (a closed or deleted session),
                // and a caller retrying would start owner after owner until its deadline.
                refusal = startFailure;
            } else if (closing) {
                refusal = new IpcReply.Error(ErrorKind.RUNTIME, "the queue owner for session " + recordId
                        + " is shutting down; start a new one", true);
            } else if (isKnown(turn.requestId())) {
                refusal = new IpcReply.Error(ErrorKind.USAGE, "request " + turn.requestId()
                        + " is already queued or running for session " + recordId, false);
            } else if (waiting.size() >= settings.queueMaxDepth()) {
                refusal = new IpcReply.Error(ErrorKind.RUNTIME, "queue full (" + waiting.size()
                        + " turns waiting) for session " + recordId + "; wait or raise queueMaxDepth", false);
            }
            if (refusal != null) {
                // Refusals go to every caller, noWait or not: nothing was accepted.
                turn.outbox().send(refusal);
                return;
            }
            int position = waiting.size() + (running != null ? 1 : 0);
            if (!turn.noWait()) {
                turn.outbox().hold();
            }
            waiting.add(turn);
            // Sent under the lock: the worker cannot take the turn (and stream events) before this.
            turn.outbox().send(new IpcReply.Accepted(turn.requestId(), position));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Cancels {@code requestId} (dropped if waiting, ACP-cancelled if running) or the running turn. */
    IpcReply cancel(String requestId) {
        QueuedTurn target;
        lock.lock();
        try {
            if (requestId != null) {
                for (QueuedTurn queued : waiting) {
                    if (queued.requestId().equals(requestId)) {
                        waiting.remove(queued);
                        queued.finish(new IpcReply.Done(OwnerServer.cancelledBeforeRun(recordId)));
                        changed.signalAll();
                        return new IpcReply.Ok(true, "turn " + requestId + " cancelled before it ran");
                    }
                }
            }
            target = running;
        } finally {
            lock.unlock();
        }
        if (target == null || (requestId != null && !requestId.equals(target.requestId()))) {
            return new IpcReply.Ok(false, "nothing to cancel");
        }
        SessionHost host = openedHost();
        boolean cancelled = host != null && host.cancelCurrent();
        return cancelled ? new IpcReply.Ok(true, "cancel requested for turn " + target.requestId())
                : new IpcReply.Ok(false, "nothing to cancel");
    }

    /** Runs a control request on the host (waiting for it to open); counts as activity for the TTL. */
    IpcReply control(Control control) {
        lock.lock();
        try {
            if (closing) {
                return new IpcReply.Error(ErrorKind.RUNTIME, "the queue owner for session " + recordId
                        + " is shutting down; start a new one", true);
            }
            controlsRunning++;
        } finally {
            lock.unlock();
        }
        try {
            return new IpcReply.Ok(true, control.apply(awaitHost()));
        } catch (AcpxException e) {
            return new IpcReply.Error(e.kind(), e.getMessage(), false);
        } catch (RuntimeException e) {
            return new IpcReply.Error(ErrorKind.RUNTIME, "the session host failed: " + e, false);
        } finally {
            lock.lock();
            try {
                controlsRunning--;
                markIdle();
            } finally {
                lock.unlock();
            }
        }
    }

    OwnerStatus status() {
        String state;
        String runningId;
        int depth;
        long completed;
        Instant idle;
        lock.lock();
        try {
            SessionHost host = openedHost();
            runningId = running == null ? null : running.requestId();
            state = closing ? "closing" : host == null ? "starting" : running != null ? "running" : "idle";
            depth = waiting.size();
            completed = turnsCompleted;
            idle = running == null && waiting.isEmpty() ? idleSince : null;
        } finally {
            lock.unlock();
        }
        SessionHost host = openedHost();
        HostStatus hostStatus = null;
        if (host != null && !hostClosed.get()) {
            try {
                hostStatus = host.status();
            } catch (RuntimeException e) {
                hostStatus = null;
            }
        }
        return new OwnerStatus(recordId, ProcessHandle.current().pid(), startedAt, state, runningId, depth,
                completed, idle, settings.ttl().toMillis(), hostStatus);
    }

    boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    void shutdown(String reason) {
        lock.lock();
        try {
            if (!closing) {
                closing = true;
                closeReason = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        // Closing the host ends a running turn; the worker then finds `closing` and stops.
        closeHost(reason);
    }

    private void run() {
        SessionHost host;
        try {
            host = hosts.open();
            hostReady.complete(host);
        } catch (Throwable e) {
            hostReady.completeExceptionally(e);
            startFailed(e);
            return;
        }
        lock.lock();
        try {
            markIdle();
        } finally {
            lock.unlock();
        }
        try {
            QueuedTurn turn;
            while ((turn = next()) != null) {
                runOne(host, turn);
            }
        } catch (RuntimeException | Error e) {
            // Never a deaf owner: whatever broke the loop, stop serving and say why in the log.
            System.err.println("acpx queue owner " + recordId + ": the turn worker failed: " + e);
            lock.lock();
            try {
                closing = true;
                closeReason = "worker_failed";
            } finally {
                lock.unlock();
            }
        }
        stop();
    }

    /** The next turn, or null when the owner is to stop (shutdown, or idle past the TTL). */
    private QueuedTurn next() {
        lock.lock();
        try {
            while (waiting.isEmpty() && !closing) {
                long ttl = settings.ttl().toNanos();
                if (ttl == 0 || controlsRunning > 0) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                long remaining = idleSinceNanos + ttl - System.nanoTime();
                if (remaining <= 0) {
                    closing = true;
                    closeReason = "ttl_expired";
                    break;
                }
                changed.awaitNanos(remaining);
            }
            if (closing) {
                return null;
            }
            running = waiting.poll();
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
            closeReason = closeReason == null ? "interrupted" : closeReason;
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void runOne(SessionHost host, QueuedTurn turn) {
        TurnListener events = new TurnListener() {
            @Override
            public void onEvent(TurnEvent event) {
                turn.event(event);
            }

            /** What the caller asked for: the engine need not even make what nobody gets. */
            @Override
            public boolean wants(Class<? extends TurnEvent> kind) {
                EventInterest interest = turn.request().interest();
                if (turn.noWait()) {
                    return kind != TurnEvent.Wire.class && kind != TurnEvent.AgentStderr.class;
                }
                return kind == TurnEvent.Wire.class ? interest.wire()
                        : kind != TurnEvent.AgentStderr.class || interest.agentStderr();
            }
        };
        IpcReply last;
        dev.acpx.core.journal.JournalSink journal = host.journal();
        journal.turnStarted(turn.requestId());
        try {
            // Questions go to the caller's terminal when it has one and waits for the turn (SPEC §6).
            boolean canAsk = turn.request().callerHasTty() && !turn.noWait();
            TurnResult result = host.runTurn(turn.request(), events, canAsk ? questions.prompter(turn.outbox()) : null);
            last = result == null
                    ? new IpcReply.Error(ErrorKind.RUNTIME, "the session host returned no result for the turn", false)
                    : new IpcReply.Done(result);
        } catch (AcpxException e) {
            last = new IpcReply.Error(e.kind(), e.getMessage(), false);
        } catch (RuntimeException e) {
            last = new IpcReply.Error(ErrorKind.RUNTIME, "the session host failed during the turn: " + e, false);
        }
        journal.turnResult(turn.requestId(), last instanceof IpcReply.Done d
                ? new dev.acpx.core.journal.TurnOutcome.Stopped(d.result().stopReason().value())
                : last instanceof IpcReply.Error err
                ? dev.acpx.core.journal.TurnOutcome.ofError(err.kind(), err.message())
                : dev.acpx.core.journal.TurnOutcome.ofError(ErrorKind.RUNTIME, "the turn ended without a result"));
        lock.lock();
        try {
            // Answer before the next turn starts, under the lock, so a caller's done precedes anything else.
            turn.finish(last);
            running = null;
            turnsCompleted++;
            markIdle();
        } finally {
            lock.unlock();
        }
    }

    private void startFailed(Throwable failure) {
        String message = failure instanceof AcpxException e ? e.getMessage()
                : "the queue owner could not open session " + recordId + ": " + failure;
        ErrorKind kind = failure instanceof AcpxException e ? e.kind() : ErrorKind.RUNTIME;
        lock.lock();
        try {
            closing = true;
            closeReason = "agent_start_failed";
            startFailure = new IpcReply.Error(kind, message, false);
        } finally {
            lock.unlock();
        }
        for (QueuedTurn turn : drainWaiting()) {
            turn.finish(new IpcReply.Error(kind, message, false));
        }
        onStopped.accept("agent_start_failed");
    }

    private void stop() {
        String reason;
        lock.lock();
        try {
            reason = closeReason;
        } finally {
            lock.unlock();
        }
        for (QueuedTurn turn : drainWaiting()) {
            turn.finish(new IpcReply.Error(ErrorKind.RUNTIME, "the queue owner for session " + recordId
                    + " stopped (" + reason + ") before this turn ran; run the prompt again", false));
        }
        closeHost(reason);
        onStopped.accept(reason);
    }

    private List<QueuedTurn> drainWaiting() {
        lock.lock();
        try {
            List<QueuedTurn> drained = new ArrayList<>(waiting);
            waiting.clear();
            return drained;
        } finally {
            lock.unlock();
        }
    }

    private void closeHost(String reason) {
        SessionHost host = openedHost();
        if (host != null && hostClosed.compareAndSet(false, true)) {
            host.close(reason);
        }
    }

    /** The host if it opened, else null (still opening, or failed to open). */
    private SessionHost openedHost() {
        return hostReady.isDone() && !hostReady.isCompletedExceptionally() ? hostReady.join() : null;
    }

    private SessionHost awaitHost() {
        try {
            return hostReady.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof AcpxException a ? a : new AcpxException(ErrorKind.RUNTIME,
                    "the queue owner could not open session " + recordId + ": " + cause, null, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while the session " + recordId + " opened");
        }
    }

    /** Restarts the idle clock; must hold the lock. Wakes the worker so it re-arms its deadline. */
    private void markIdle() {
        idleSinceNanos = System.nanoTime();
        idleSince = clock.instant();
        changed.signalAll();
    }

    private boolean isKnown(String requestId) {
        if (running != null && running.requestId().equals(requestId)) {
            return true;
        }
        return waiting.stream().anyMatch(t -> t.requestId().equals(requestId));
    }
}
