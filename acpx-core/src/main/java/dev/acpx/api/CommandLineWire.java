package dev.acpx.api;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire of a forwarded command between the thin client and the JVM that runs it (the per-user
 * daemon), over a Unix socket: frames of one type byte, a 4-byte big-endian length and the
 * payload. Binary and JDK-only, so that the thin client loads no JSON library; the thin client's
 * jar carries this one class of acpx-core.
 *
 * <pre>
 * client -> server   H hello (strings: version, build, cwd, terminals "01x" for fds 0 1 2, stdout
 *                            charset, stderr charset, argc, args..., envc, KEY=VALUE...)
 *                    I stdin bytes (answers N)   E end of stdin   S signal name (INT, TERM, HUP)
 * server -> client   A accepted (its pid)   B other build (its build; it retires)
 *                    F run it yourself (why)    O stdout bytes   R stderr bytes
 *                    N stdin wanted (int: at most that many bytes)   X exit (int code)
 *                    K alive (each second while the command runs)
 * </pre>
 */
public final class CommandLineWire implements AutoCloseable {
    public static final String VERSION = "1";
    public static final byte HELLO = 'H';
    public static final byte STDIN = 'I';
    public static final byte STDIN_END = 'E';
    public static final byte SIGNAL = 'S';
    public static final byte ACCEPTED = 'A';
    public static final byte OTHER_BUILD = 'B';
    public static final byte FALLBACK = 'F';
    public static final byte STDOUT = 'O';
    public static final byte STDERR = 'R';
    public static final byte STDIN_WANTED = 'N';
    public static final byte EXIT = 'X';
    public static final byte KEEPALIVE = 'K';
    /** A frame other than a hello carries at most this much. */
    public static final int MAX_FRAME = 1024 * 1024;
    /** A hello is argv and environment: generous, but bounded against a hostile local peer. */
    public static final int MAX_HELLO = 16 * 1024 * 1024;
    /** The class whose {@code main(--acpx-daemon-ensure <acpxHome>)} starts a daemon of this build if none answers. */
    public static final String DAEMON_MAIN = "dev.acpx.core.daemon.DaemonMain";
    /** {@link #DAEMON_MAIN}'s flag for that: {@code main(DAEMON_ENSURE_FLAG, acpxHome)}. */
    public static final String DAEMON_ENSURE_FLAG = "--acpx-daemon-ensure";

    /** One frame; {@link #text()} and {@link #number()} read the usual payloads. */
    public record Frame(byte type, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int number() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    private final SocketChannel channel;
    private final DataInputStream in;
    private final OutputStream out;

    /** Frames over a connected channel: one thread may read while others write. */
    public CommandLineWire(SocketChannel channel) {
        this.channel = channel;
        this.in = new DataInputStream(new BufferedInputStream(new ChannelIn(channel), 64 * 1024));
        this.out = new BufferedOutputStream(new ChannelOut(channel), 64 * 1024);
    }

    /** The buffered input, for a server that tells a hello from another request by its first byte. */
    public InputStream input() {
        return in;
    }

    /** The next frame; null when the peer closed the connection. */
    public Frame read() throws IOException {
        int type = in.read();
        return type < 0 ? null : readBody((byte) type, type == HELLO ? MAX_HELLO : MAX_FRAME);
    }

    private Frame readBody(byte type, int max) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > max) {
            throw new IOException("a frame of " + length + " bytes (at most " + max + ")");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length != length) {
            throw new EOFException("the peer left mid-frame");
        }
        return new Frame(type, payload);
    }

    /** Writes one whole frame; writers are serialized. */
    public synchronized void send(byte type, byte[] payload, int offset, int length) throws IOException {
        out.write(ByteBuffer.allocate(5).put(type).putInt(length).array());
        out.write(payload, offset, length);
        out.flush();
    }

    public void send(byte type, byte[] payload) throws IOException {
        send(type, payload, 0, payload.length);
    }

    public void send(byte type, String text) throws IOException {
        send(type, text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] number(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }

    /** A hello's payload: each string as a 4-byte length and its UTF-8 bytes. */
    public static byte[] strings(List<String> strings) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(8192);
        for (String s : strings) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(number(bytes.length));
            b.writeBytes(bytes);
        }
        return b.toByteArray();
    }

    /** The strings of a hello's payload. */
    public static List<String> strings(byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(payload);
        List<String> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int n = b.remaining() >= 4 ? b.getInt() : -1;
            if (n < 0 || n > b.remaining()) {
                throw new IOException("a truncated hello");
            }
            out.add(new String(payload, b.position(), n, StandardCharsets.UTF_8));
            b.position(b.position() + n);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that was left to do
        }
    }

    /** Straight from the channel (a socket channel reads and writes from two threads at once). */
    private static final class ChannelIn extends InputStream {
        private final SocketChannel channel;

        ChannelIn(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
        }
    }

    private static final class ChannelOut extends OutputStream {
        private final SocketChannel channel;

        ChannelOut(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }
}
