package dev.acpx.core.queue;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Closes a channel when its deadline passes, which ends a blocked connect or read on it (the
 * blocked call throws AsynchronousCloseException). A stopped or wedged queue owner accepts
 * connections in the kernel but never answers; without this a caller would wait forever.
 *
 * <p>The deadline can move (each read of a connection gets its own). The timer is a platform
 * thread, started on the first finite deadline: a host's virtual threads could all be busy.
 */
final class ChannelGuard implements AutoCloseable {
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Deadline deadline = Deadline.NONE;
    private boolean done;
    private boolean fired;
    private boolean started;

    ChannelGuard(Channel channel) {
        this.channel = channel;
    }

    /** From now on the channel is closed once {@code until} passes ({@link Deadline#NONE}: never). */
    void until(Deadline until) {
        lock.lock();
        try {
            deadline = until;
            if (!until.unlimited() && !started) {
                started = true;
                Thread.ofPlatform().daemon().name("acpx-queue-deadline").start(this::run);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True once the deadline closed the channel. */
    boolean fired() {
        lock.lock();
        try {
            return fired;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            done = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        lock.lock();
        try {
            while (!done) {
                if (deadline.unlimited()) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                if (deadline.passed()) {
                    fired = true;
                    break;
                }
                try {
                    changed.await(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    return; // nobody interrupts this thread; if someone does, the guard just ends
                }
            }
        } finally {
            lock.unlock();
        }
        if (fired) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all the guard can do; a failed close leaves nothing else to try
            }
        }
    }
}
