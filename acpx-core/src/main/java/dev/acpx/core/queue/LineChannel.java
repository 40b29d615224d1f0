package dev.acpx.core.queue;

import dev.acpx.core.jsonrpc.ByteLine;
import dev.acpx.core.jsonrpc.LineLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * NDJSON framing over a blocking socket channel, without a string copy of any message: a message
 * is read as bytes and handed to the decoder as a stream, and written by the encoder straight into
 * the socket. Lines are capped at {@link LineLimits#QUEUE_LINE_BYTES}, which is derived from the
 * agent connection's cap, so whatever an agent may send fits through a session. Reads and writes
 * may run on different threads at once; writes are serialized here.
 */
final class LineChannel implements AutoCloseable {

    /** Writes one message's body into the stream it is given; the channel adds the newline. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final byte[] NEWLINE = {'\n'};

    private final SocketChannel channel;
    private final int maxLineBytes;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final Object writeLock = new Object();
    private final OutputStream out = new SocketOut();
    private volatile long lastWriteNanos = System.nanoTime();

    LineChannel(SocketChannel channel) {
        this(channel, LineLimits.QUEUE_LINE_BYTES);
    }

    LineChannel(SocketChannel channel, int maxLineBytes) {
        this.channel = channel;
        this.maxLineBytes = maxLineBytes;
        in.flip();
    }

    /**
     * The next non-blank message as a stream of its bytes (without the newline), or null at end of
     * stream. The stream must be read before the next call.
     */
    InputStream readMessage() throws IOException {
        ByteLine line = new ByteLine();
        while (true) {
            if (!in.hasRemaining()) {
                in.clear();
                int n = channel.read(in);
                in.flip();
                if (n < 0) {
                    // A last message without newline still counts (a peer that wrote and closed).
                    return line.isBlank() ? null : line.drain();
                }
                continue;
            }
            byte[] array = in.array();
            int start = in.position();
            int end = in.limit();
            int newline = -1;
            for (int i = start; i < end; i++) {
                if (array[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int stop = newline >= 0 ? newline : end;
            if (line.size() + (stop - start) > maxLineBytes) {
                throw new LineTooLongException("a queue message exceeded " + maxLineBytes + " bytes");
            }
            line.append(array, start, stop - start);
            in.position(newline >= 0 ? newline + 1 : end);
            if (newline >= 0) {
                if (!line.isBlank()) {
                    return line.drain();
                }
                line.clear();
            }
        }
    }

    /** The next message as text, or null at end of stream (tests and small control messages). */
    String readLine() throws IOException {
        InputStream message = readMessage();
        return message == null ? null : new String(message.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Writes one message: {@code body} streams it into the socket, then a newline ends it. */
    void write(Body body) throws IOException {
        synchronized (writeLock) {
            body.writeTo(out);
            out.write(NEWLINE);
        }
    }

    void writeLine(String text) throws IOException {
        write(o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** When the peer last took bytes from us (or when this channel opened): a stalled peer shows here. */
    long lastWriteNanos() {
        return lastWriteNanos;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket twice or after the peer vanished has nothing left to report
        }
    }

    /** Blocking writes into the channel, remembering each bit of progress. */
    private final class SocketOut extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
                lastWriteNanos = System.nanoTime();
            }
        }
    }

    /** A line over the cap: the stream cannot be trusted to resynchronize. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException(String message) {
            super(message);
        }
    }
}
