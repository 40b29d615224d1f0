package dev.acpx.core.jsonrpc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Two connected loopback sockets: real byte pipes in both directions for peer tests. */
record SocketPair(Socket left, Socket right) implements AutoCloseable {

    static SocketPair open() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket left = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            Socket right = server.accept();
            return new SocketPair(left, right);
        }
    }

    @Override
    public void close() throws IOException {
        left.close();
        right.close();
    }
}
