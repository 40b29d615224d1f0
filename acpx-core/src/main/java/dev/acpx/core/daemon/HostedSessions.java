package dev.acpx.core.daemon;

import dev.acpx.core.queue.OwnerServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;

/**
 * The queue owners one daemon hosts, and when the daemon may leave: once no session has been
 * hosted (and no request to host one has been in progress) for the linger time. The linger covers
 * the gap between a caller starting the daemon and asking it to host; each session keeps its own
 * TTL, so the daemon lives as long as its longest-lived session.
 */
final class HostedSessions {

    /** One hosted owner; {@code held} is closed when it exits (its slot, its journal). */
    record Hosted(OwnerServer server, Queue<AutoCloseable> held, Duration shutdownGrace) {}

    private final Duration linger;
    private final Duration callLinger;
    private final Map<String, Hosted> hosted = new HashMap<>();
    private int pending;
    private boolean exiting;
    private long idleSince = System.nanoTime();
    /** After a forwarded command the daemon stays warm for the next one (nanoTime; 0 = no command yet). */
    private long callIdleSince;

    /**
     * @param linger     how long to stay with nothing hosted and no command run
     * @param callLinger how long to stay after the last forwarded command, for the next one to find it warm
     */
    HostedSessions(Duration linger, Duration callLinger) {
        this.linger = linger;
        this.callLinger = callLinger;
    }

    /** Marks a request to host as in progress; false when the daemon is leaving (the caller starts another). */
    synchronized boolean begin() {
        if (exiting) {
            return false;
        }
        pending++;
        return true;
    }

    synchronized void end() {
        pending--;
        idleSince = System.nanoTime();
        notifyAll();
    }

    /** A forwarded command ended (it began with {@link #begin}). */
    synchronized void endCall() {
        pending--;
        idleSince = System.nanoTime();
        callIdleSince = idleSince;
        notifyAll();
    }

    /** Requests to host and forwarded commands in progress (a command's cleanup after its answer counts). */
    synchronized int pending() {
        return pending;
    }

    /** When the last forwarded command ended, if none runs now (nanoTime); 0 when one runs or none ran. */
    synchronized long callsIdleSince() {
        return pending > 0 ? 0 : callIdleSince;
    }

    synchronized Optional<Hosted> get(String recordId) {
        Hosted h = hosted.get(recordId);
        return h == null || h.server().exited().isDone() ? Optional.empty() : Optional.of(h);
    }

    synchronized void add(String recordId, Hosted h) {
        hosted.put(recordId, h);
        notifyAll();
    }

    synchronized void removed(String recordId, Hosted h) {
        hosted.remove(recordId, h);
        idleSince = System.nanoTime();
        notifyAll();
    }

    synchronized List<String> ids() {
        return new ArrayList<>(hosted.keySet());
    }

    synchronized int size() {
        return hosted.size();
    }

    /**
     * Returns once the daemon has hosted nothing for the linger time (from then on it refuses to
     * host: true), or once {@link #beginShutdown} was called (false).
     */
    synchronized boolean awaitIdle() throws InterruptedException {
        while (!exiting) {
            if (!hosted.isEmpty() || pending > 0) {
                wait();
                continue;
            }
            long now = System.nanoTime();
            long left = linger.toNanos() - (now - idleSince);
            if (callIdleSince != 0) {
                left = Math.max(left, callLinger.toNanos() - (now - callIdleSince));
            }
            if (left <= 0) {
                exiting = true;
                return true;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        // A shutdown began: its caller finishes with its own reason.
        return false;
    }

    /** Refuses new sessions from now on and returns the hosted ones, for the caller to stop. */
    synchronized List<Hosted> beginShutdown() {
        exiting = true;
        notifyAll();
        return new ArrayList<>(hosted.values());
    }
}
