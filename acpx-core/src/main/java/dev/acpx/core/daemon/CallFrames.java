package dev.acpx.core.daemon;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire of a forwarded command (thin client <-> daemon): frames of one type byte, a 4-byte
 * big-endian length and the payload. Binary and tiny, so the thin client needs no JSON library.
 * The thin client (dev.acpx.thin) writes the same frames with its own few lines of code: it may
 * load nothing of acpx-core.
 *
 * <pre>
 * client -> daemon   H hello (strings: version, build, cwd, terminals "01x", stdout charset,
 *                            stderr charset, argc, args..., envc, KEY=VALUE...)
 *                    I stdin bytes (answers N)   E end of stdin   S signal name (INT, TERM, HUP)
 * daemon -> client   A accepted (pid)   B other build (the daemon's build; it retires)
 *                    F run it yourself (why)     O stdout bytes   R stderr bytes
 *                    N stdin wanted (int: at most that many bytes)   X exit (int code)
 *                    K alive (each second while the command runs)
 * </pre>
 */
final class CallFrames {
    static final byte HELLO = 'H';
    static final byte STDIN = 'I';
    static final byte STDIN_END = 'E';
    static final byte SIGNAL = 'S';
    static final byte ACCEPTED = 'A';
    static final byte OTHER_BUILD = 'B';
    static final byte FALLBACK = 'F';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'R';
    static final byte STDIN_WANTED = 'N';
    static final byte EXIT = 'X';
    static final byte KEEPALIVE = 'K';
    /** Version of this wire; a client of another version gets F and runs the command itself. */
    static final String VERSION = "1";
    /** A hello is argv and environment: generous, but bounded against a hostile local peer. */
    static final int MAX_HELLO = 16 * 1024 * 1024;
    static final int MAX_FRAME = 1024 * 1024;

    private CallFrames() {}

    record Frame(byte type, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int number() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    /** The next frame whose type byte was already read; null at end of stream. */
    static Frame readAfterType(byte type, DataInputStream in, int max) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > max) {
            throw new IOException("a frame of " + length + " bytes (at most " + max + ")");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length != length) {
            throw new EOFException("the caller left mid-frame");
        }
        return new Frame(type, payload);
    }

    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        return type < 0 ? null : readAfterType((byte) type, in, MAX_FRAME);
    }

    /** Writes one frame; callers serialize on {@code out}. */
    static void write(OutputStream out, byte type, byte[] payload, int offset, int length) throws IOException {
        byte[] head = ByteBuffer.allocate(5).put(type).putInt(length).array();
        out.write(head);
        out.write(payload, offset, length);
        out.flush();
    }

    static byte[] number(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }

    /** The strings of a hello: each a 4-byte length and UTF-8 bytes. */
    static List<String> strings(byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(payload);
        List<String> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 4) {
                throw new IOException("a truncated hello");
            }
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new IOException("a truncated hello");
            }
            out.add(new String(payload, b.position(), n, StandardCharsets.UTF_8));
            b.position(b.position() + n);
        }
        return out;
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** For tests: a hello as the thin client writes it. */
    static byte[] hello(List<String> strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            byte[] bytes = text(s);
            out.writeBytes(number(bytes.length));
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
