package dev.acpx.core.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * NDJSON framing over a blocking socket channel: whole lines out, whole lines in, with a cap on
 * line length so a runaway peer cannot exhaust memory. Reads and writes may run on different
 * threads at once (the channel keeps separate read and write locks); writes are serialized here.
 */
final class LineChannel implements AutoCloseable {

    /** The Node acpx buffers at most 10 MiB of one queue message; so do we. */
    static final int MAX_LINE_BYTES = 10 * 1024 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Object writeLock = new Object();

    LineChannel(SocketChannel channel) {
        this.channel = channel;
        in.flip();
    }

    /** The next line without its newline, or null at end of stream. */
    String readLine() throws IOException {
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    return text;
                }
                if (line.size() >= MAX_LINE_BYTES) {
                    throw new LineTooLongException("a queue message exceeded " + MAX_LINE_BYTES + " bytes");
                }
                line.write(b);
            }
            in.clear();
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
                // A last line without newline is still a message (a peer that wrote and closed).
                if (line.size() > 0) {
                    String text = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    return text;
                }
                return null;
            }
        }
    }

    void writeLine(String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        synchronized (writeLock) {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket twice or after the peer vanished has nothing left to report
        }
    }

    /** A line over {@link #MAX_LINE_BYTES}: the stream cannot be trusted to resynchronize. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException(String message) {
            super(message);
        }
    }
}
