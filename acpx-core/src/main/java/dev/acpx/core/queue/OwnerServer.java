package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.engine.CancelResult;
import dev.acpx.core.engine.EngineClosing;
import dev.acpx.core.engine.EngineControl;
import dev.acpx.core.engine.EngineStatus;
import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.engine.SessionEngine;
import dev.acpx.core.engine.SessionHostFactory;
import dev.acpx.core.lifecycle.HostFileLock;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The socket half of a session's queue owner: holds the per-session owner lock for its whole life,
 * serves callers on a Unix socket (one thread per connection), and feeds their turns to its
 * {@link SessionEngine}: the queue owner process is that engine plus this socket. Exactly one
 * exists per session on the host, because only the lock holder binds.
 */
public final class OwnerServer {

    private final String recordId;
    private final Path socket;
    private final HostFileLock ownerLock;
    private final ServerSocketChannel server;
    private final IpcCodec codec;
    private final SessionEngine worker;
    private final CallerQuestions questions = new CallerQuestions();
    private final Duration callerStallLimit;
    private final long ttlMillis;
    private final Set<Outbox> connections = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<String> exited = new CompletableFuture<>();

    private OwnerServer(String recordId, Path socket, HostFileLock ownerLock, ServerSocketChannel server,
                        IpcCodec codec, OwnerSettings settings, SessionHostFactory hosts, JournalHook journal,
                        Clock clock) {
        this.recordId = recordId;
        this.socket = socket;
        this.ownerLock = ownerLock;
        this.server = server;
        this.codec = codec;
        this.worker = new SessionEngine(recordId, settings.queueMaxDepth(), settings.ttl(), hosts, journal, clock,
                this::finish);
        this.callerStallLimit = settings.callerStallLimit();
        this.ttlMillis = settings.ttl().toMillis();
    }

    /**
     * Becomes the owner of {@code recordId} if nobody else is: takes the owner lock, removes a socket
     * file left by a dead owner, binds, and starts serving. Empty when another owner holds the lock.
     */
    public static Optional<OwnerServer> start(QueuePaths paths, String recordId, OwnerSettings settings,
                                              SessionHostFactory hosts, ObjectMapper mapper, Clock clock) {
        return start(paths, recordId, settings, hosts, JournalHook.NONE, mapper, clock);
    }

    /** As above, with the engine's {@link JournalHook}. */
    public static Optional<OwnerServer> start(QueuePaths paths, String recordId, OwnerSettings settings,
                                              SessionHostFactory hosts, JournalHook journal, ObjectMapper mapper,
                                              Clock clock) {
        paths.ensureDirectory();
        Optional<HostFileLock> lock = HostFileLock.tryLock(paths.ownerLock(recordId));
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(serve(paths, recordId, lock.get(), settings, hosts, journal, mapper, clock));
        } catch (RuntimeException e) {
            lock.get().close();
            throw e;
        }
    }

    /**
     * Serves {@code recordId} for a caller that already holds its owner lock (an embedding JVM's
     * session, which CLI callers then reach as they reach an owner process). The server releases
     * the lock when its engine stops; on failure to bind the lock stays with the caller.
     */
    public static OwnerServer serve(QueuePaths paths, String recordId, HostFileLock ownerLock, OwnerSettings settings,
                                    SessionHostFactory hosts, JournalHook journal, ObjectMapper mapper, Clock clock) {
        paths.ensureDirectory();
        Path socket = paths.socket(recordId);
        ServerSocketChannel server = null;
        try {
            // Only the lock holder gets here, so a socket file present now belongs to a dead owner.
            Files.deleteIfExists(socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            throw new AcpxException(ErrorKind.RUNTIME, "cannot open the queue socket " + socket + " for session "
                    + recordId + ": " + e.getMessage() + " (check that " + paths.directory() + " is writable by you)",
                    null, e);
        }
        OwnerServer owner = new OwnerServer(recordId, socket, ownerLock, server, new IpcCodec(mapper), settings,
                hosts, journal, clock);
        owner.worker.start();
        // A platform thread: the owner's one way in must run whatever the virtual-thread carriers do.
        Thread.ofPlatform().daemon().name("acpx-queue-accept").start(owner::acceptLoop);
        return owner;
    }

    /**
     * The engine behind the socket, for an embedding JVM's own turns: they queue with the callers'
     * turns, in arrival order.
     */
    public SessionEngine engine() {
        return worker;
    }

    /** The socket callers connect to. */
    public Path socket() {
        return socket;
    }

    /**
     * Stops the owner (SIGTERM, {@code sessions close}): waiting turns are told so, the host is
     * closed with {@code reason} (which ends a running turn), then socket and lock are released.
     */
    public void shutdown(String reason) {
        worker.shutdown(reason);
    }

    /** Completes with the exit reason (such as {@code ttl_expired}) once the owner released everything. */
    public CompletableFuture<String> exited() {
        return exited;
    }

    /** Waits for the owner to exit and returns why; empty if it still runs after {@code timeout}. */
    public Optional<String> awaitExit(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(exited.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the queue owner failed to stop: " + e.getCause(), e.getCause());
        }
    }

    private void acceptLoop() {
        AcceptLoop.run(server, "acpx-queue-conn", this::serve);
    }

    private void serve(SocketChannel channel) {
        LineChannel lines = new LineChannel(channel);
        Outbox out = new Outbox(lines, codec, callerStallLimit);
        connections.add(out);
        try {
            InputStream message;
            while ((message = lines.readMessage()) != null) {
                IpcRequest request;
                try {
                    request = codec.decodeRequest(message);
                } catch (IpcFormatException e) {
                    out.send(new IpcReply.Error(ErrorKind.USAGE, "bad queue message: " + e.getMessage(), false));
                    continue;
                }
                handle(request, out);
            }
        } catch (LineChannel.LineTooLongException e) {
            out.send(new IpcReply.Error(ErrorKind.USAGE, e.getMessage() + "; connection closed", false));
        } catch (IOException | RuntimeException e) {
            // The caller vanished or its bytes made no sense: this connection ends, the owner carries on.
        } finally {
            connections.remove(out);
            questions.closed(out);
            out.readerDone();
        }
    }

    private void handle(IpcRequest request, Outbox out) {
        IpcReply reply = switch (request) {
            case IpcRequest.Submit submit -> {
                worker.submit(new QueuedTurn(submit.requestId(), submit.turn(), submit.noWait(), out)
                        .toEngineTurn(questions));
                yield null;
            }
            // The protocol version and build id let a caller of another build retire this owner
            // rather than reuse it.
            case IpcRequest.Ping ping -> worker.isClosing() ? retiring()
                    : ping.protocolVersion() != IpcCodec.PROTOCOL_VERSION ? new IpcReply.Error(ErrorKind.RUNTIME,
                    "this queue owner speaks queue protocol " + IpcCodec.PROTOCOL_VERSION + ", not "
                            + ping.protocolVersion() + " (another acpx version); retire it and start a new one", false)
                    : new IpcReply.Ok(true, OwnerClient.pong());
            case IpcRequest.Status status -> new IpcReply.StatusReply(ownerStatus(worker.status()));
            case IpcRequest.Cancel cancel -> {
                CancelResult c = worker.cancel(cancel.requestId());
                yield new IpcReply.Ok(c.applied(), c.message());
            }
            case IpcRequest.SetMode mode -> control(host -> {
                host.setMode(mode.modeId());
                return "mode set to " + mode.modeId();
            });
            case IpcRequest.SetConfig config -> control(host -> host.setConfigOption(config.key(), config.value()));
            case CallerAnswer answer -> {
                questions.answer(answer.questionId(), answer.answer());
                yield null;
            }
        };
        if (reply != null) {
            out.send(reply);
        }
    }

    private IpcReply control(EngineControl control) {
        try {
            return new IpcReply.Ok(true, worker.control(control));
        } catch (AcpxException e) {
            return new IpcReply.Error(e.kind(), e.getMessage(), EngineClosing.isRefusal(e));
        } catch (RuntimeException e) {
            return new IpcReply.Error(ErrorKind.RUNTIME, "the session host failed: " + e, false);
        }
    }

    private OwnerStatus ownerStatus(EngineStatus s) {
        return new OwnerStatus(recordId, ProcessHandle.current().pid(), s.startedAt(), s.state(),
                s.runningRequestId(), s.queueDepth(), s.turnsCompleted(), s.idleSince(), ttlMillis, s.host());
    }

    private IpcReply retiring() {
        return new IpcReply.Error(ErrorKind.RUNTIME, "the queue owner for session " + recordId
                + " is shutting down; start a new one", true);
    }

    /** Called once by the worker when it stopped: release socket and lock, in that order. */
    private void finish(String reason) {
        closeQuietly(server);
        try {
            // Delete while still holding the lock: afterwards the path may belong to the next owner.
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the next owner removes it under the lock
        }
        // Let the last replies (done, error) reach their callers before the connections go.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Outbox out : connections) {
            out.readerDone();
        }
        while (connections.stream().anyMatch(o -> !o.isDead()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        connections.forEach(Outbox::kill);
        ownerLock.close();
        exited.complete(reason);
    }

    private static void closeQuietly(ServerSocketChannel server) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing to do about a failed close of a listening socket we are abandoning
        }
    }
}
