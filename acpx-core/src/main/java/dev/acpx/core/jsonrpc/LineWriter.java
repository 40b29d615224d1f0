package dev.acpx.core.jsonrpc;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Writes a peer's outgoing lines, in order, on one platform thread of its own. A write to a pipe
 * blocks in native code while the reader does not read (an agent frozen or SIGSTOPped with more
 * than a pipe buffer pending); done on the caller's thread, that blocked prompt() before its
 * timeout started, pinned a virtual thread's carrier, and made close() wait on the stream's lock.
 * Here only this thread waits, callers get a future, and closing never waits for it: the stream is
 * closed by this thread once what was queued before the close is written.
 */
final class LineWriter {
    private final OutputStream out;
    private final Supplier<String> closedMessage;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private boolean closed;
    private boolean writing;
    private PeerClosedException broken;

    private record Frame(byte[] bytes, CompletableFuture<Void> written) {}

    /** @param closedMessage why writes are refused after {@link #close()} (read when one is refused) */
    LineWriter(OutputStream out, Supplier<String> closedMessage) {
        this.out = out;
        this.closedMessage = closedMessage;
        Thread.ofPlatform().daemon().name("jsonrpc-writer").start(this::run);
    }

    /** Queues bytes; the future completes once they are written, or fails with PeerClosedException. */
    CompletableFuture<Void> write(byte[] bytes) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        lock.lock();
        try {
            if (broken != null) {
                written.completeExceptionally(broken);
            } else if (closed) {
                written.completeExceptionally(new PeerClosedException(closedMessage.get()));
            } else {
                queue.add(new Frame(bytes, written));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return written;
    }

    /** Refuses later writes; what is queued is still written, then the stream is closed. Never blocks. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code max} until everything queued is written (or failed); false if still writing. */
    boolean flush(Duration max) throws InterruptedException {
        long left = max.toNanos();
        lock.lock();
        try {
            while (!queue.isEmpty() || writing) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Frame frame;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    changed.awaitUninterruptibly();
                }
                frame = queue.poll();
                writing = frame != null;
                if (frame == null) {
                    break; // closed and drained
                }
            } finally {
                lock.unlock();
            }
            write(frame);
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // the other side is already gone; nothing left to tell it
        }
    }

    private void write(Frame frame) {
        PeerClosedException failure = null;
        try {
            out.write(frame.bytes());
            out.flush();
        } catch (IOException e) {
            failure = new PeerClosedException("writing to the peer failed (" + e.getMessage()
                    + "); it has probably exited", e);
        }
        lock.lock();
        try {
            writing = false;
            if (failure != null && broken == null) {
                // Nothing after a failed write can reach the peer: fail the rest now, not one by one.
                broken = failure;
                for (Frame queued : queue) {
                    queued.written().completeExceptionally(failure);
                }
                queue.clear();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            frame.written().completeExceptionally(failure);
        } else {
            frame.written().complete(null);
        }
    }

    /** Waits a bounded time for a write, so that a synchronous caller still hears of a broken pipe. */
    static void awaitBriefly(CompletableFuture<Void> written, Duration max) throws PeerClosedException {
        if (Thread.currentThread().isInterrupted()) {
            return; // a cancel sent from an interrupted thread must not wait; the line stays queued
        }
        try {
            written.get(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof PeerClosedException closed) {
                throw closed;
            }
            throw new PeerClosedException("writing to the peer failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            // the peer is not reading yet; the line stays queued, in order
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
