package dev.acpx.core.engine;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The one session engine: a {@link SessionHost} (the agent connection, reconnected as needed), a
 * FIFO queue of turns with the one thread that runs them, the idle timer, and the
 * {@link JournalHook}. Every way acpx runs a turn goes through it: the queue owner process is an
 * engine plus its socket, an embedded session is an engine used in-process, and {@code exec} is an
 * engine in one-shot mode (a fresh agent, one turn, then everything ended).
 *
 * <p>The worker waits for work with a deadline measured from the end of the last turn (or control
 * request), so the idle timer cannot fire while a turn runs or waits.
 */
public final class SessionEngine {

    private final String recordId;
    private final int queueMaxDepth;
    private final SessionHostFactory hosts;
    private final JournalHook journal;
    private final Consumer<String> onStopped;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<EngineTurn> waiting = new ArrayDeque<>();
    private final HostHolder host;
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final Instant startedAt;
    private EngineTurn running;
    private int controlsRunning;
    private boolean closing;
    /** Set when the host could not open: every later turn gets this answer (guarded by {@link #lock}). */
    private AcpxException startFailure;
    private String closeReason;
    private final IdleTimer idle;
    private long turnsCompleted;

    /**
     * @param queueMaxDepth turns that may wait behind the running one
     * @param ttl           idle time after which the engine stops by itself; zero = never
     * @param journal       the journal hook ({@link JournalHook#NONE} for none)
     * @param onStopped     called once, on the worker thread, with the reason the engine stopped
     */
    public SessionEngine(String recordId, int queueMaxDepth, Duration ttl, SessionHostFactory hosts,
                         JournalHook journal, Clock clock, Consumer<String> onStopped) {
        if (queueMaxDepth < 1) {
            throw new IllegalArgumentException("queueMaxDepth must be at least 1, got " + queueMaxDepth);
        }
        this.recordId = recordId;
        this.queueMaxDepth = queueMaxDepth;
        this.hosts = hosts;
        this.journal = journal == null ? JournalHook.NONE : journal;
        this.onStopped = onStopped;
        this.host = new HostHolder(recordId);
        this.startedAt = clock.instant();
        this.idle = new IdleTimer(ttl, clock);
    }

    /** Opens the host and starts serving, on the engine's own worker thread. */
    public void start() {
        // A platform thread: on JDK 25 a virtual thread parked for a long timed wait (the idle TTL,
        // minutes) was seen never to wake up again, which left owners running past their TTL.
        Thread.ofPlatform().name("acpx-engine-" + recordId).daemon(true).start(this::run);
    }

    public String recordId() {
        return recordId;
    }

    /** Completes with the reason once the engine stopped and its host is closed. */
    public CompletableFuture<String> stopped() {
        return stopped;
    }

    /**
     * Queues a turn, or refuses it at once through its sink. An accepted turn hears
     * {@link TurnSink#accepted} before any of its events.
     */
    public void submit(EngineTurn turn) {
        lock.lock();
        try {
            TurnOutcome.Failed refusal = null;
            if (startFailure != null) {
                // Not "retry elsewhere": it would fail the same way (a closed or deleted session),
                // and a caller retrying would start owner after owner until its deadline.
                refusal = new TurnOutcome.Failed(startFailure);
            } else if (closing) {
                refusal = new TurnOutcome.Failed(closingError(), true);
            } else if (isKnown(turn.requestId())) {
                refusal = new TurnOutcome.Failed(new AcpxException(ErrorKind.USAGE, "request " + turn.requestId()
                        + " is already queued or running for session " + recordId));
            } else if (waiting.size() >= queueMaxDepth) {
                refusal = new TurnOutcome.Failed(new AcpxException(ErrorKind.RUNTIME, "queue full ("
                        + waiting.size() + " turns waiting) for session " + recordId
                        + "; wait or raise queueMaxDepth"));
            }
            if (refusal != null) {
                turn.sink().finished(refusal);
                return;
            }
            int position = waiting.size() + (running != null ? 1 : 0);
            waiting.add(turn);
            // Under the lock: the worker cannot take the turn (and emit events) before this.
            turn.sink().accepted(position);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels {@code requestId} (dropped if waiting, ACP-cancelled if running) or, with null, the
     * running turn. A dropped turn completes as {@code cancelled}.
     */
    public CancelResult cancel(String requestId) {
        EngineTurn target;
        EngineTurn dropped = null;
        lock.lock();
        try {
            if (requestId != null) {
                for (EngineTurn queued : waiting) {
                    if (queued.requestId().equals(requestId)) {
                        waiting.remove(queued);
                        changed.signalAll();
                        dropped = queued;
                        break;
                    }
                }
            }
            target = running;
            if (requestId == null && target == null && !waiting.isEmpty() && host.ifOpened() == null) {
                // The first turn waits for the agent to start and its session to load: to its caller it
                // is the running turn ("[client] initialize"), so that is the one cancelled.
                dropped = waiting.poll();
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (dropped != null) {
            // Outside the lock: the caller's listener runs here. Done comes last, as for any turn.
            try {
                dropped.events().onEvent(new TurnEvent.Done(StopReason.CANCELLED));
            } finally {
                dropped.sink().finished(new TurnOutcome.Completed(cancelledBeforeRun()));
            }
            return new CancelResult(true, "turn " + dropped.requestId() + " cancelled before it ran");
        }
        if (target == null || (requestId != null && !requestId.equals(target.requestId()))) {
            return new CancelResult(false, "nothing to cancel");
        }
        SessionHost open = host.ifOpened();
        if (!(open != null && open.cancelCurrent())) {
            // The turn runs but has not reached the agent yet (the agent starting, the session loading):
            // the cancel lands as soon as it has, instead of being lost and the turn run to its end.
            EngineTurn turn = target;
            Thread.ofPlatform().daemon().name("acpx-cancel-pending").start(() -> cancelWhenPrompted(turn));
        }
        return new CancelResult(true, "cancel requested for turn " + target.requestId());
    }

    private void cancelWhenPrompted(EngineTurn turn) {
        while (true) {
            lock.lock();
            try {
                if (running != turn) {
                    return; // it ended (or was never prompted): nothing left to cancel
                }
            } finally {
                lock.unlock();
            }
            SessionHost open = host.ifOpened();
            if (open != null && open.cancelCurrent()) {
                return;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Runs a control request on the host (waiting for it to open), beside a running turn; counts as
     * activity for the idle timer.
     *
     * @throws AcpxException the host's failure, or a {@linkplain EngineClosing#isRefusal closing refusal}
     */
    public String control(EngineControl control) {
        lock.lock();
        try {
            if (closing) {
                throw closingError();
            }
            controlsRunning++;
        } finally {
            lock.unlock();
        }
        try {
            return control.apply(host.await());
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

    public EngineStatus status() {
        String state;
        String runningId;
        int depth;
        long completed;
        Instant idleSince;
        SessionHost open = host.ifOpened();
        lock.lock();
        try {
            runningId = running == null ? null : running.requestId();
            state = closing ? "closing" : open == null ? "starting" : running != null ? "running" : "idle";
            depth = waiting.size();
            completed = turnsCompleted;
            idleSince = running == null && waiting.isEmpty() ? idle.since() : null;
        } finally {
            lock.unlock();
        }
        HostStatus hostStatus = null;
        open = host.ifOpen();
        if (open != null) {
            try {
                hostStatus = open.status();
            } catch (RuntimeException e) {
                hostStatus = null;
            }
        }
        return new EngineStatus(startedAt, state, runningId, depth, completed, idleSince, hostStatus);
    }

    public boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the engine: waiting turns are told so, and the host is closed with {@code reason} now,
     * on the calling thread (which ends a running turn); the worker then stops.
     */
    public void shutdown(String reason) {
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
        host.close(reason);
    }

    private void run() {
        SessionHost opened;
        try {
            opened = hosts.open(journal);
            host.opened(opened);
        } catch (Throwable e) {
            host.failed(e);
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
            EngineTurn turn;
            while ((turn = next()) != null) {
                runOne(opened, turn);
            }
        } catch (RuntimeException | Error e) {
            // Never a deaf engine: whatever broke the loop, stop serving and say why in the log.
            System.err.println("acpx session engine " + recordId + ": the turn worker failed: " + e);
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

    /** The next turn, or null when the engine is to stop (shutdown, or idle past the TTL). */
    private EngineTurn next() {
        lock.lock();
        try {
            while (waiting.isEmpty() && !closing) {
                if (idle.forever() || controlsRunning > 0) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                long remaining = idle.remainingNanos();
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

    private void runOne(SessionHost host, EngineTurn turn) {
        TurnOutcome outcome = JournaledTurn.run(host, turn, journal);
        lock.lock();
        try {
            // Answer before the next turn starts, under the lock, so a caller's outcome precedes anything else.
            turn.sink().finished(outcome);
            running = null;
            turnsCompleted++;
            markIdle();
        } finally {
            lock.unlock();
        }
    }

    private void startFailed(Throwable failure) {
        AcpxException error = failure instanceof AcpxException e ? e : new AcpxException(ErrorKind.RUNTIME,
                "could not open session " + recordId + ": " + failure, null, failure);
        lock.lock();
        try {
            closing = true;
            closeReason = "agent_start_failed";
            startFailure = error;
        } finally {
            lock.unlock();
        }
        for (EngineTurn turn : drainWaiting()) {
            turn.sink().finished(new TurnOutcome.Failed(error));
        }
        finish("agent_start_failed");
    }

    private void stop() {
        String reason;
        lock.lock();
        try {
            reason = closeReason;
        } finally {
            lock.unlock();
        }
        for (EngineTurn turn : drainWaiting()) {
            turn.sink().finished(new TurnOutcome.Failed(new AcpxException(ErrorKind.RUNTIME, "the session engine for "
                    + recordId + " stopped (" + reason + ") before this turn ran; run the prompt again")));
        }
        host.close(reason);
        finish(reason);
    }

    private void finish(String reason) {
        try {
            onStopped.accept(reason);
        } finally {
            stopped.complete(reason);
        }
    }

    private List<EngineTurn> drainWaiting() {
        lock.lock();
        try {
            List<EngineTurn> drained = new ArrayList<>(waiting);
            waiting.clear();
            return drained;
        } finally {
            lock.unlock();
        }
    }

    private AcpxException closingError() {
        return EngineClosing.refusal(recordId);
    }

    /** Restarts the idle clock; must hold the lock. Wakes the worker so it re-arms its deadline. */
    private void markIdle() {
        idle.restart();
        changed.signalAll();
    }

    private boolean isKnown(String requestId) {
        if (running != null && running.requestId().equals(requestId)) {
            return true;
        }
        return waiting.stream().anyMatch(t -> t.requestId().equals(requestId));
    }

    /** A turn cancelled before it ran ends like a cancelled turn, so callers need no special case. */
    private TurnResult cancelledBeforeRun() {
        return new TurnResult(StopReason.CANCELLED, 0, 0, null, recordId);
    }
}
