package dev.acpx.core.queue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * One caller's connection to a queue owner: requests out, decoded replies in, the connect and
 * every read ending at a deadline. The {@link ChannelGuard} closes the socket when the deadline
 * passes, which is what ends a blocked connect or read (an owner that is stopped or wedged still
 * accepts connections in the kernel, but never answers).
 */
final class OwnerConnection implements AutoCloseable {
    private final LineChannel lines;
    private final ChannelGuard guard;
    private final IpcCodec codec;
    private final String recordId;

    private OwnerConnection(SocketChannel channel, ChannelGuard guard, IpcCodec codec, String recordId) {
        this.lines = new LineChannel(channel);
        this.guard = guard;
        this.codec = codec;
        this.recordId = recordId;
    }

    /** Connects to {@code socket}; the guard closes the channel at {@code deadline}, which also ends a blocked connect. */
    static OwnerConnection open(Path socket, Deadline deadline, IpcCodec codec, String recordId) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        ChannelGuard guard = new ChannelGuard(channel);
        guard.until(deadline);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            guard.close();
            channel.close();
            throw e;
        }
        return new OwnerConnection(channel, guard, codec, recordId);
    }

    void send(IpcRequest request) throws IOException {
        // Streamed into the socket: a prompt of many megabytes is not first copied as a string.
        lines.write(out -> codec.write(request, out));
    }

    /** True when the deadline closed the connection (a read then fails with an IOException). */
    boolean timedOut() {
        return guard.fired();
    }

    /** The next reply, or null at end of stream; the guard closes the socket at {@code deadline}. */
    IpcReply next(Deadline deadline) throws IOException {
        guard.until(deadline);
        try {
            InputStream message = lines.readMessage();
            if (message == null) {
                return null;
            }
            return codec.decodeReply(message);
        } catch (IpcFormatException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "the queue owner for session " + recordId
                    + " sent a message this acpx cannot read (" + e.getMessage() + "); is it another acpx version?");
        }
    }

    @Override
    public void close() {
        guard.close();
        lines.close();
    }
}
