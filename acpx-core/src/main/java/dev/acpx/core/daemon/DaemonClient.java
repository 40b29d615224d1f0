package dev.acpx.core.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request to the daemon per connection: a JSON line out, a JSON line back. A daemon that
 * accepts but does not answer within the wait (stopped, wedged) is {@link Exchange.Silent}; no
 * socket or a refused connection is {@link Exchange.Absent}.
 */
public final class DaemonClient {
    /** Longest reply line read; replies are a few hundred bytes. */
    private static final int MAX_REPLY_BYTES = 64 * 1024;

    private final DaemonPaths paths;
    private final ObjectMapper mapper;

    public DaemonClient(DaemonPaths paths, ObjectMapper mapper) {
        this.paths = paths;
        this.mapper = mapper;
    }

    /** What one request found. */
    public sealed interface Exchange {
        record Answer(DaemonReply reply) implements Exchange {}
        record Absent(String why) implements Exchange {}
        record Silent() implements Exchange {}
    }

    public Exchange ping(String build, Duration wait) {
        return send(mapper.createObjectNode().put("op", "ping").put("build", build), wait);
    }

    /** Asks the daemon to host the queue owner of a session (the owner's launch args, the caller's env). */
    public Exchange host(String build, java.util.List<String> launchArgs, Map<String, String> env, Duration wait) {
        ObjectNode req = mapper.createObjectNode().put("op", "host").put("build", build);
        launchArgs.forEach(req.putArray("launch")::add);
        ObjectNode e = req.putObject("env");
        env.forEach(e::put);
        return send(req, wait);
    }

    /** Asks the daemon to stop the owner of {@code recordId} (as SIGTERM stops an owner process). */
    public Exchange stop(String recordId, Duration wait) {
        return send(mapper.createObjectNode().put("op", "stop").put("recordId", recordId), wait);
    }

    Exchange send(ObjectNode request, Duration wait) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return new Exchange.Absent("cannot open a socket: " + e.getMessage());
        }
        try {
            channel.connect(UnixDomainSocketAddress.of(paths.socket()));
        } catch (IOException e) {
            close(channel);
            return new Exchange.Absent(e.getMessage());
        }
        // A blocking Unix channel has no read timeout: the exchange runs on its own thread, and
        // closing the channel at the deadline ends a read that a stopped daemon would never answer.
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("acpx-daemon-client").start(() -> {
            try {
                byte[] line = (mapper.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
                channel.write(java.nio.ByteBuffer.wrap(line));
                answer.complete(readLine(new java.io.BufferedInputStream(Channels.newInputStream(channel))));
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        try {
            JsonNode reply = answer.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            return reply == null ? new Exchange.Absent("the daemon closed the connection")
                    : new Exchange.Answer(DaemonReply.fromJson(reply));
        } catch (TimeoutException e) {
            return new Exchange.Silent();
        } catch (ExecutionException e) {
            return new Exchange.Absent(String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange.Absent("interrupted");
        } finally {
            close(channel);
        }
    }

    private JsonNode readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (buf.size() >= MAX_REPLY_BYTES) {
                throw new IOException("the daemon's reply is over " + MAX_REPLY_BYTES + " bytes");
            }
            buf.write(b);
        }
        if (b < 0 && buf.size() == 0) {
            return null;
        }
        return mapper.readTree(buf.toByteArray());
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do about a failed close of a finished exchange
        }
    }
}
