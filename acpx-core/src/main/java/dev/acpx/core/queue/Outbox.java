package dev.acpx.core.queue;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The owner's outgoing lines to one caller, written by a virtual thread of their own so that a
 * caller who stops reading (suspended, gone, slow) never blocks the turn worker. Once the peer is
 * gone, or more than {@link #MAX_PENDING_BYTES} pile up unread, lines are dropped and the
 * connection is closed; the turn itself carries on.
 */
final class Outbox {

    static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;

    private final LineChannel channel;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private long pendingBytes;
    private boolean dead;
    private boolean writerRunning;
    // The connection closes once the caller stopped sending and every awaited turn is answered.
    private boolean readerDone;
    private int holds;

    Outbox(LineChannel channel) {
        this.channel = channel;
    }

    /** Queues one line; never blocks. */
    void send(String line) {
        synchronized (this) {
            if (dead) {
                return;
            }
            pendingBytes += line.length();
            if (pendingBytes > MAX_PENDING_BYTES) {
                dead = true;
                pending.clear();
                channel.close();
                return;
            }
            pending.add(line);
            if (writerRunning) {
                return;
            }
            writerRunning = true;
        }
        Thread.ofVirtual().name("acpx-queue-outbox").start(this::drain);
    }

    /** A turn whose replies this caller waits for: keep the connection open until {@link #release}. */
    synchronized void hold() {
        holds++;
    }

    /** The held turn's last line was queued. */
    void release() {
        synchronized (this) {
            holds--;
        }
        closeIfFinished();
    }

    /** The caller sent end of stream (or left): close once nothing more is owed to it. */
    void readerDone() {
        synchronized (this) {
            readerDone = true;
        }
        closeIfFinished();
    }

    /** True once writing failed or the connection was dropped. */
    synchronized boolean isDead() {
        return dead;
    }

    /** Drops everything still queued and closes the connection. */
    void kill() {
        synchronized (this) {
            dead = true;
            pending.clear();
        }
        channel.close();
    }

    private void drain() {
        while (true) {
            String next;
            synchronized (this) {
                next = dead ? null : pending.poll();
                if (next == null) {
                    writerRunning = false;
                    break;
                }
                pendingBytes -= next.length();
            }
            try {
                channel.writeLine(next);
            } catch (IOException e) {
                kill();
            }
        }
        closeIfFinished();
    }

    private void closeIfFinished() {
        synchronized (this) {
            if (!readerDone || holds > 0 || writerRunning || !pending.isEmpty()) {
                return;
            }
            dead = true;
        }
        channel.close();
    }
}
