package dev.acpx.core.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxVersion;
import dev.acpx.api.CommandLineWire;
import dev.acpx.core.engine.agent.EngineContext;
import dev.acpx.core.engine.agent.ProtocolWarmup;
import dev.acpx.core.engine.owner.OwnerMain;
import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.lifecycle.HostFileLock;
import dev.acpx.core.lifecycle.PrivateFiles;
import dev.acpx.core.process.ProcessSupervisor;
import dev.acpx.core.queue.AcceptLoop;
import dev.acpx.core.queue.OwnerLaunch;
import dev.acpx.core.queue.OwnerServer;
import dev.acpx.core.queue.QueuePaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The per-user daemon: one JVM that hosts the queue owners ({@link OwnerServer} + engine) of many
 * persistent sessions, each on its own per-session socket exactly as an owner process would, so
 * every caller of the queue IPC is unchanged. The daemon's own socket takes three requests: ping,
 * host a session, stop a session. It holds the daemon lock for its whole life (one daemon per acpx
 * home) and leaves when it has hosted nothing for the linger time.
 */
public final class DaemonHost {
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final DaemonPaths paths;
    private final QueuePaths queues;
    private final HostFileLock lock;
    private final ServerSocketChannel server;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ProcessSupervisor supervisor;
    private final ProtocolWarmup warmup = new ProtocolWarmup();
    private final PrintStream log;
    private final HostedSessions sessions;
    private final String build = AcpxVersion.buildId();
    private final long pid = ProcessHandle.current().pid();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final CompletableFuture<String> exited = new CompletableFuture<>();

    private final ForwardedCalls calls;

    private DaemonHost(DaemonPaths paths, HostFileLock lock, ServerSocketChannel server, ObjectMapper mapper,
                       Clock clock, ProcessSupervisor supervisor, Duration linger, Duration callLinger,
                       PrintStream log) {
        this.paths = paths;
        this.queues = new QueuePaths(paths.acpxHome());
        this.lock = lock;
        this.server = server;
        this.mapper = mapper;
        this.clock = clock;
        this.supervisor = supervisor;
        this.sessions = new HostedSessions(linger, callLinger);
        this.log = log;
        this.calls = new ForwardedCalls(build, pid, sessions, () -> Thread.ofPlatform().daemon()
                .name("acpx-daemon-retire").start(() -> shutdown("retired: a caller runs another acpx build")));
    }

    /** Becomes the daemon of the home if none is: lock, bind, serve. Empty when another daemon holds the lock. */
    public static Optional<DaemonHost> start(DaemonPaths paths, ObjectMapper mapper, Clock clock,
                                             ProcessSupervisor supervisor, Duration linger, PrintStream log) {
        return start(paths, mapper, clock, supervisor, linger, linger, log);
    }

    /**
     * As {@link #start(DaemonPaths, ObjectMapper, Clock, ProcessSupervisor, Duration, PrintStream)}; after a
     * forwarded command the daemon stays {@code callLinger} for the next one.
     */
    public static Optional<DaemonHost> start(DaemonPaths paths, ObjectMapper mapper, Clock clock,
                                             ProcessSupervisor supervisor, Duration linger, Duration callLinger,
                                             PrintStream log) {
        paths.ensureDirectory();
        Optional<HostFileLock> lock = HostFileLock.tryLock(paths.lock());
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        ServerSocketChannel server = null;
        try {
            // Only the lock holder gets here: a socket file present now was left by a dead daemon.
            Files.deleteIfExists(paths.socket());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(paths.socket()));
            Files.setPosixFilePermissions(paths.socket(), PosixFilePermissions.fromString("rw-------"));
            ProcessHandle self = ProcessHandle.current();
            String identity = self.pid() + " " + self.info().startInstant().map(Object::toString).orElse("-") + " "
                    + AcpxVersion.buildId() + "\n";
            PrivateFiles.write(paths.identity(), identity.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            lock.get().close();
            throw new UncheckedIOException(new IOException("cannot open the daemon socket " + paths.socket() + ": "
                    + e.getMessage(), e));
        }
        DaemonHost host = new DaemonHost(paths, lock.get(), server, mapper, clock, supervisor, linger, callLinger, log);
        Thread.ofPlatform().daemon().name("acpx-daemon-accept").start(host::acceptLoop);
        Thread.ofPlatform().daemon().name("acpx-daemon-idle").start(host::exitWhenIdle);
        Thread.ofPlatform().daemon().name("acpx-daemon-trim").start(host::trimAfterCommands);
        return Optional.of(host);
    }

    /** Completes with the reason once the daemon released its socket and lock. */
    public CompletableFuture<String> exited() {
        return exited;
    }

    /** Forwarded commands and requests to host in progress. */
    int activeCalls() {
        return sessions.pending();
    }

    /** SIGTERM: stops every hosted owner (their agent trees go with them), then leaves. */
    public void shutdown(String reason) {
        // Each session's own log says why its owner went, as a replaced owner process's does.
        for (String id : sessions.ids()) {
            try {
                Files.writeString(queues.log(id), "[acpx] queue owner in daemon " + pid + " stopped: " + reason + "\n",
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException | RuntimeException e) {
                // the log is a courtesy
            }
        }
        List<HostedSessions.Hosted> all = sessions.beginShutdown();
        all.forEach(h -> h.server().shutdown("owner_terminated"));
        for (HostedSessions.Hosted h : all) {
            try {
                h.server().awaitExit(h.shutdownGrace().plusSeconds(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        finish(reason);
    }

    private void exitWhenIdle() {
        try {
            if (!sessions.awaitIdle()) {
                return;
            }
        } catch (InterruptedException e) {
            return;
        }
        finish("idle: no session hosted");
    }

    /**
     * A second after the last forwarded command, one full collection: commands leave garbage (parsed
     * records, rendered output) that would otherwise keep the heap, and the daemon's RSS, at its
     * high-water mark while it idles; SerialGC gives the free part back (MaxHeapFreeRatio).
     */
    private void trimAfterCommands() {
        long trimmedAfter = 0;
        while (!finished.get()) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            long since = sessions.callsIdleSince();
            if (since != 0 && since != trimmedAfter && System.nanoTime() - since > 1_000_000_000L) {
                System.gc();
                trimmedAfter = since;
            }
        }
    }

    private void acceptLoop() {
        AcceptLoop.run(server, "acpx-daemon-conn", this::serve);
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            CommandLineWire wire = new CommandLineWire(channel);
            InputStream in = wire.input();
            in.mark(1);
            boolean hello = in.read() == CommandLineWire.HELLO;
            in.reset();
            if (hello) {
                // A thin client: the command runs here, warm (dev.acpx.thin).
                calls.serve(wire);
                return;
            }
            JsonNode request = readRequest(in);
            if (request == null) {
                return;
            }
            DaemonReply reply = handle(request);
            byte[] line = (mapper.writeValueAsString(reply.toJson(mapper)) + "\n").getBytes(StandardCharsets.UTF_8);
            channel.write(ByteBuffer.wrap(line));
        } catch (IOException | RuntimeException e) {
            // the caller left or sent nonsense: this connection ends, the daemon carries on
        }
    }

    private JsonNode readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (buf.size() >= MAX_REQUEST_BYTES) {
                throw new IOException("request over " + MAX_REQUEST_BYTES + " bytes");
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : mapper.readTree(buf.toByteArray());
    }

    DaemonReply handle(JsonNode request) {
        String op = request.path("op").asText("");
        // A caller of another build must retire this daemon, never use it (as with owner processes).
        if (!op.equals("stop") && !build.equals(request.path("build").asText(""))) {
            return new DaemonReply(false, build, pid, true, false, "this acpx daemon runs build " + build
                    + ", not " + request.path("build").asText("") + "; retire it and start a new one");
        }
        return switch (op) {
            case "ping" -> DaemonReply.ok(build, pid, "hosting " + sessions.size() + " session(s)");
            case "host" -> host(request);
            case "stop" -> stop(request.path("recordId").asText(""));
            default -> DaemonReply.error(build, pid, "unknown daemon request " + op);
        };
    }

    private DaemonReply host(JsonNode request) {
        if (!sessions.begin()) {
            return new DaemonReply(false, build, pid, false, true, "the acpx daemon " + pid + " is leaving");
        }
        try {
            List<String> args = new java.util.ArrayList<>();
            request.path("launch").forEach(a -> args.add(a.asText()));
            OwnerLaunch launch = OwnerLaunch.parse(args.toArray(String[]::new));
            if (!launch.acpxHome().toAbsolutePath().normalize().equals(paths.acpxHome())) {
                return DaemonReply.error(build, pid, "this acpx daemon serves " + paths.acpxHome() + ", not "
                        + launch.acpxHome());
            }
            String recordId = launch.recordId();
            if (sessions.get(recordId).isPresent()) {
                return DaemonReply.ok(build, pid, "already hosted");
            }
            Map<String, String> env = new HashMap<>();
            request.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            // The caller's environment is what its agent inherits, as if the caller had started the owner.
            EngineContext ctx = new EngineContext(mapper, supervisor, clock, env, AcpxVersion.version(), warmup);
            Queue<AutoCloseable> held = new ConcurrentLinkedQueue<>();
            JournalHook journal = OwnerMain.journal(ctx, launch);
            held.add(journal::close);
            // Fenced by the fleet: the record is closed; only this session's owner stops, never the daemon.
            AtomicReference<OwnerServer> server = new AtomicReference<>();
            Optional<OwnerServer> started = OwnerServer.start(queues, recordId, launch.settings(),
                    OwnerMain.factory(ctx, launch, held::add, reason -> {
                        OwnerServer s = server.get();
                        if (s != null) {
                            s.shutdown(reason);
                        }
                    }), journal, mapper, clock);
            started.ifPresent(server::set);
            if (started.isEmpty()) {
                journal.close();
                return DaemonReply.ok(build, pid, "another queue owner serves session " + recordId);
            }
            HostedSessions.Hosted hosted = new HostedSessions.Hosted(started.get(), held,
                    launch.settings().shutdownGrace());
            sessions.add(recordId, hosted);
            log.println("[acpx] daemon " + pid + " hosts session " + recordId + " (ttlMs="
                    + launch.settings().ttl().toMillis() + ", queueMaxDepth=" + launch.settings().queueMaxDepth()
                    + ", sessions=" + sessions.size() + ")");
            started.get().exited().whenComplete((reason, failure) -> {
                held.forEach(DaemonHost::closeQuietly);
                sessions.removed(recordId, hosted);
                log.println("[acpx] daemon " + pid + ": queue owner for session " + recordId + " exited: "
                        + (failure == null ? reason : failure));
            });
            return DaemonReply.ok(build, pid, "hosting session " + recordId);
        } catch (IllegalArgumentException | IllegalStateException | AcpxException | UncheckedIOException e) {
            return DaemonReply.error(build, pid, "cannot host the session: " + e.getMessage());
        } finally {
            sessions.end();
        }
    }

    private DaemonReply stop(String recordId) {
        Optional<HostedSessions.Hosted> hosted = sessions.get(recordId);
        if (hosted.isEmpty()) {
            return DaemonReply.ok(build, pid, "session " + recordId + " is not hosted here");
        }
        hosted.get().server().shutdown("owner_terminated");
        try {
            hosted.get().server().awaitExit(hosted.get().shutdownGrace().plusSeconds(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DaemonReply.ok(build, pid, "stopped session " + recordId);
    }

    /** Releases socket, identity file and lock, in that order (deleting while still the lock holder). */
    private void finish(String reason) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        try {
            Files.deleteIfExists(paths.socket());
            Files.deleteIfExists(paths.identity());
        } catch (IOException ignored) {
            // the next daemon removes them under the lock
        }
        lock.close();
        log.println("[acpx] daemon " + pid + " exited: " + reason);
        exited.complete(reason);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // released by the kernel with the process at the latest
        }
    }
}
