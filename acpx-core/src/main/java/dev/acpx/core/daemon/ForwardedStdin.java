package dev.acpx.core.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * A forwarded command's stdin: each read asks the client for at most as many bytes as the reader
 * wants (frame N) and waits for them (I) or for the end (E). Nothing is read ahead, so bytes the
 * command never asks for stay in the caller's stdin for the next program.
 */
final class ForwardedStdin extends InputStream {
    private static final int MAX_ASK = 64 * 1024;
    private final ForwardedCall.Sink sink;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;
    private boolean asked;

    ForwardedStdin(ForwardedCall.Sink sink) {
        this.sink = sink;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position >= current.length) {
            if (!chunks.isEmpty()) {
                current = chunks.poll();
                position = 0;
                continue;
            }
            if (ended) {
                return -1;
            }
            if (!asked) {
                asked = true;
                if (!sink.send(dev.acpx.api.CommandLineWire.STDIN_WANTED, dev.acpx.api.CommandLineWire.number(Math.min(len, MAX_ASK)), 0, 4)) {
                    ended = true;
                    return -1;
                }
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading the caller's stdin");
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return current.length - position;
    }

    synchronized void offer(byte[] bytes) {
        asked = false;
        if (bytes.length > 0) {
            chunks.add(bytes);
        }
        notifyAll();
    }

    synchronized void end() {
        asked = false;
        ended = true;
        notifyAll();
    }
}
