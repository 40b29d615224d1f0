package dev.acpx.core.queue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The owner's replies to one caller, written by a thread of their own. A slow caller is
 * back-pressured, never dropped: once {@link #MAX_PENDING_WEIGHT} of events wait unread,
 * {@link #sendEvent} waits, and with it the turn's event production (the agent's output is then
 * read no faster than this caller reads ours). Control replies (accepted, done, errors) never wait,
 * so no lock holder of the turn worker ever blocks here.
 *
 * <p>The connection is given up only when the caller is gone (a write failed) or has taken no byte
 * at all for the stall limit ({@link OwnerSettings#callerStallLimit}, 120 s by default) while we had
 * some for it (a stopped process): then its lines are dropped and the turn goes on without it, as
 * it would if the caller had disconnected.
 */
final class Outbox {

    /** Roughly the bytes of unread events a caller may have queued before the turn waits for it. */
    static final long MAX_PENDING_WEIGHT = 4L * 1024 * 1024;
    private record Pending(IpcReply reply, long weight) {}

    private final LineChannel channel;
    private final IpcCodec codec;
    private final long stallNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long pendingWeight;
    private boolean dead;
    private boolean writerRunning;
    // The connection closes once the caller stopped sending and every awaited turn is answered.
    private boolean readerDone;
    private int holds;

    Outbox(LineChannel channel, IpcCodec codec, Duration stallLimit) {
        this.channel = channel;
        this.codec = codec;
        this.stallNanos = stallLimit.toNanos();
    }

    /** Queues a control reply; never waits. */
    void send(IpcReply reply) {
        enqueue(reply, 256);
    }

    /**
     * Queues a turn event, first waiting while this caller has too much unread. Returns false when
     * the caller is gone (the event is dropped). An interrupt stops the wait and drops the event.
     */
    boolean sendEvent(IpcReply.Event event) {
        long weight = IpcEventCodec.weight(event.event());
        lock.lock();
        try {
            long waitStarted = System.nanoTime();
            // One event bigger than the whole budget still goes, alone: a 12 MB chunk is a chunk.
            while (!dead && pendingWeight > 0 && pendingWeight + weight > MAX_PENDING_WEIGHT) {
                long quiet = System.nanoTime() - Math.max(waitStarted, channel.lastWriteNanos());
                if (quiet >= stallNanos) {
                    killLocked();
                    return false;
                }
                changed.await(Math.min(1_000_000_000L, stallNanos - quiet), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
        return enqueue(event, weight);
    }

    private boolean enqueue(IpcReply reply, long weight) {
        lock.lock();
        try {
            if (dead) {
                return false;
            }
            pending.add(new Pending(reply, weight));
            pendingWeight += weight;
            if (writerRunning) {
                return true;
            }
            writerRunning = true;
        } finally {
            lock.unlock();
        }
        // Socket writes park a virtual thread without pinning its carrier.
        Thread.ofVirtual().name("acpx-queue-outbox").start(this::drain);
        return true;
    }

    /** A turn whose replies this caller waits for: keep the connection open until {@link #release}. */
    void hold() {
        lock.lock();
        try {
            holds++;
        } finally {
            lock.unlock();
        }
    }

    /** The held turn's last reply was queued. */
    void release() {
        lock.lock();
        try {
            holds--;
        } finally {
            lock.unlock();
        }
        closeIfFinished();
    }

    /** The caller sent end of stream (or left): close once nothing more is owed to it. */
    void readerDone() {
        lock.lock();
        try {
            readerDone = true;
        } finally {
            lock.unlock();
        }
        closeIfFinished();
    }

    /** True once writing failed or the connection was dropped or closed. */
    boolean isDead() {
        lock.lock();
        try {
            return dead;
        } finally {
            lock.unlock();
        }
    }

    /** Drops everything still queued and closes the connection. */
    void kill() {
        lock.lock();
        try {
            killLocked();
        } finally {
            lock.unlock();
        }
    }

    private void killLocked() {
        dead = true;
        pending.clear();
        pendingWeight = 0;
        changed.signalAll();
        // Closing ends a write blocked on a caller that reads nothing.
        channel.close();
    }

    private void drain() {
        while (true) {
            Pending next;
            lock.lock();
            try {
                next = dead ? null : pending.peek();
                if (next == null) {
                    writerRunning = false;
                    changed.signalAll();
                    break;
                }
            } finally {
                lock.unlock();
            }
            try {
                channel.write(out -> codec.write(next.reply(), out));
            } catch (IOException | RuntimeException e) {
                // The caller went away (or its socket was closed under us): nothing more reaches it.
                kill();
                break;
            }
            lock.lock();
            try {
                if (!dead) {
                    pending.poll();
                    pendingWeight -= next.weight();
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        closeIfFinished();
    }

    private void closeIfFinished() {
        lock.lock();
        try {
            if (!readerDone || holds > 0 || writerRunning || !pending.isEmpty() || dead) {
                return;
            }
            dead = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        channel.close();
    }
}
