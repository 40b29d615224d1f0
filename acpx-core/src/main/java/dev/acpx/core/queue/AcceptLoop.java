package dev.acpx.core.queue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Accepts callers on a Unix socket until it is closed, each served on a platform thread of its
 * own: a server must answer even when something in the JVM pinned every carrier of the
 * virtual-thread scheduler, and serving may block on files, forks and waits.
 */
public final class AcceptLoop {
    private AcceptLoop() {}

    public static void run(ServerSocketChannel server, String threadName, Consumer<SocketChannel> serve) {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                continue;
            }
            Thread.ofPlatform().daemon().name(threadName).start(() -> serve.accept(channel));
        }
    }
}
