package dev.acpx.thin;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The client's half of the forwarded-command wire (the daemon's half and the frame table are in
 * acpx-core, {@code dev.acpx.core.daemon.CallFrames}): type byte, 4-byte length, payload.
 */
final class ThinWire {
    static final String VERSION = "1";
    private static final int MAX_FRAME = 1024 * 1024;

    private final DataInputStream in;
    private final OutputStream out;

    ThinWire(DataInputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    record Frame(char type, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int number() {
            return ByteBuffer.wrap(payload).getInt();
        }
    }

    /** The next frame from the daemon; null when it closed the connection. */
    Frame read() throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("the daemon sent a frame of " + length + " bytes");
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length != length) {
            throw new EOFException("the daemon left mid-frame");
        }
        return new Frame((char) type, payload);
    }

    synchronized void send(char type, byte[] payload, int length) throws IOException {
        out.write(ByteBuffer.allocate(5).put((byte) type).putInt(length).array());
        out.write(payload, 0, length);
        out.flush();
    }

    void send(char type, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        send(type, b, b.length);
    }

    /** The hello: each string as a 4-byte length and its UTF-8 bytes. */
    static byte[] strings(List<String> strings) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(8192);
        for (String s : strings) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
            b.writeBytes(bytes);
        }
        return b.toByteArray();
    }
}
