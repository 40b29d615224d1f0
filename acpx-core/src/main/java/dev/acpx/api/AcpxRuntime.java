package dev.acpx.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.acpx.core.agent.AgentRegistry;
import dev.acpx.core.agent.ResolvedAgent;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.config.ConfigException;
import dev.acpx.core.config.ConfigLayers;
import dev.acpx.core.config.ConfigLoader;
import dev.acpx.core.config.ConfigView;
import dev.acpx.core.engine.AgentSession;
import dev.acpx.core.engine.DemoAgentLauncher;
import dev.acpx.core.engine.EmbeddedSession;
import dev.acpx.core.engine.EmbeddedSessions;
import dev.acpx.core.engine.EngineContext;
import dev.acpx.core.engine.OneShotRunner;
import dev.acpx.core.engine.OwnerBridge;
import dev.acpx.core.engine.SessionService;
import dev.acpx.core.lifecycle.PrivateFiles;
import dev.acpx.core.lifecycle.SlotPool;
import dev.acpx.core.lifecycle.UntrustedDirectoryException;
import dev.acpx.core.process.CommandLine;
import dev.acpx.core.process.ProcessSupervisor;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embeddable acpx runtime: built once per host, it resolves agents, reads the layered
 * configuration, and runs sessions. Closing it ends every agent process it started.
 *
 * <pre>{@code
 * try (AcpxRuntime acpx = AcpxRuntime.builder().userHome(Path.of(System.getProperty("user.home"))).build()) {
 *     AgentRef agent = acpx.resolveAgent("demo", false, cwd);
 *     TurnResult r = acpx.exec(new ExecRequest(agent, cwd, "hello", PermissionPolicies.approveAll(),
 *             null, null, false), event -> System.out.println(event));
 * }
 * }</pre>
 */
public final class AcpxRuntime implements AutoCloseable {
    /** This build's version, reported to agents as clientInfo ({@link AcpxVersion#version()}). */
    public static final String VERSION = AcpxVersion.version();

    /** How long {@link #interrupt()} gives queue owners to confirm their turns were cancelled. */
    public static final Duration INTERRUPT_BUDGET = Duration.ofMillis(700);

    private final Path userHome;
    private final Map<String, String> environment;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final ConfigLoader configLoader;
    private final AgentRegistry registry;
    private final Set<AgentSession> live = ConcurrentHashMap.newKeySet();
    private final List<String> demoAgentArgv;
    private ProcessSupervisor supervisor;
    private EngineContext engine;
    private volatile boolean closed;
    private final Integer maxConcurrentSessions;
    private final Duration slotWait;
    private final Duration handshakeTimeout;
    private final boolean shutdownHook;
    private final java.util.function.Consumer<String> warnings;
    private EmbeddedSessions embedded;
    private Thread hook;

    private AcpxRuntime(Builder b) {
        this.maxConcurrentSessions = b.maxConcurrentSessions;
        this.slotWait = b.slotWait;
        this.handshakeTimeout = b.handshakeTimeout;
        this.shutdownHook = b.shutdownHook;
        this.warnings = b.warnings;
        this.userHome = b.userHome;
        this.environment = Map.copyOf(b.environment);
        this.clock = b.clock;
        this.mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        this.configLoader = new ConfigLoader(userHome, mapper);
        this.registry = new AgentRegistry(line -> CommandLine.parse(line).argv());
        this.demoAgentArgv = b.demoAgentArgv != null ? List.copyOf(b.demoAgentArgv)
                : DemoAgentLauncher.argv(environment);
    }

    public static Builder builder() {
        return new Builder();
    }


    /** Builds a runtime; every setting has a default taken from this process. */
    public static final class Builder {
        private Path userHome = Path.of(System.getProperty("user.home"));
        private Map<String, String> environment = System.getenv();
        private Clock clock = Clock.systemUTC();
        private List<String> demoAgentArgv;
        private Integer maxConcurrentSessions;
        private Duration slotWait = Duration.ZERO;
        private Duration handshakeTimeout;
        private boolean shutdownHook = true;
        private java.util.function.Consumer<String> warnings =
                message -> System.err.println("acpx: warning: " + message);

        private Builder() {}

        /**
         * The host-wide limit for sessions this runtime opens, over the config's
         * {@code maxConcurrentSessions}; it counts every live session on the host (CLI runs,
         * queue owners, other runtimes) through the same OS locks.
         */
        public Builder maxConcurrentSessions(int limit) {
            if (limit < 1) {
                throw AcpxException.usage("maxConcurrentSessions must be at least 1, got " + limit);
            }
            this.maxConcurrentSessions = limit;
            return this;
        }

        /**
         * How long {@link AcpxRuntime#open} waits for a free slot when the host is full before it
         * fails naming the holders; {@link Duration#ZERO} (the default) fails at once.
         */
        public Builder slotWait(Duration wait) {
            if (wait.isNegative()) {
                throw AcpxException.usage("slotWait must not be negative, got " + wait);
            }
            this.slotWait = wait;
            return this;
        }

        /**
         * The limit of an agent's start in the sessions this runtime opens ({@code initialize} up to
         * the session being open again), over the config's {@code handshakeTimeout} (default 60 s);
         * {@link SessionOptions#withHandshakeTimeout} overrides it per session.
         */
        public Builder handshakeTimeout(Duration limit) {
            if (limit.isNegative() || limit.isZero()) {
                throw AcpxException.usage("handshakeTimeout must be positive, got " + limit);
            }
            this.handshakeTimeout = limit;
            return this;
        }

        /**
         * Whether normal JVM exit closes this runtime (default true): its sessions end, one-shot
         * records close, and no agent process outlives the JVM.
         */
        /**
         * Where warnings go: one line each, for a side effect that failed without failing the call
         * (a read-only command whose record clean-up could not be written on a full or read-only
         * disk). Default: {@code acpx: warning: <line>} on {@code System.err}.
         */
        public Builder warnings(java.util.function.Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public Builder shutdownHook(boolean install) {
            this.shutdownHook = install;
            return this;
        }

        /** The home whose {@code .acpx} directory holds config, sessions and locks. */
        public Builder userHome(Path home) {
            this.userHome = Objects.requireNonNull(home).toAbsolutePath().normalize();
            return this;
        }

        /** The environment agents inherit and credentials are read from. */
        public Builder environment(Map<String, String> env) {
            this.environment = Objects.requireNonNull(env);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How to start the built-in demo agent (default: this JVM's java on this classpath). */
        public Builder demoAgentArgv(List<String> argv) {
            this.demoAgentArgv = List.copyOf(argv);
            return this;
        }

        public AcpxRuntime build() {
            return new AcpxRuntime(this);
        }
    }

    private synchronized EngineContext engine() {
        if (closed) {
            throw new AcpxException(ErrorKind.INTERRUPTED, "the runtime is closed");
        }
        if (engine == null) {
            supervisor = new ProcessSupervisor();
            engine = new EngineContext(mapper, supervisor, clock, environment, VERSION);
        }
        return engine;
    }

    /**
     * Config files are parsed once per directory while they stay unchanged: a command asks for
     * them several times, and a long-lived host still sees edits (the files' times are checked).
     */
    private record CachedLayers(ConfigLayers layers, String stamp) {}

    private final Map<Path, CachedLayers> layersByCwd = new ConcurrentHashMap<>();

    private ConfigLayers layers(Path cwd) {
        String stamp = stamp(configLoader.globalPath()) + "|" + stamp(configLoader.projectPath(cwd));
        CachedLayers cached = layersByCwd.get(cwd);
        if (cached != null && cached.stamp().equals(stamp)) {
            return cached.layers();
        }
        try {
            ConfigLayers loaded = configLoader.load(cwd);
            layersByCwd.put(cwd, new CachedLayers(loaded, stamp));
            return loaded;
        } catch (ConfigException e) {
            throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
        }
    }

    private static String stamp(Path file) {
        try {
            return java.nio.file.Files.getLastModifiedTime(file).toMillis() + ":" + java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            return "absent";
        }
    }

    AcpxConfig config(Path cwd) {
        try {
            return layers(cwd).merged();
        } catch (ConfigException e) {
            throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
        }
    }

    /** The clock this runtime reads time from. */
    public Clock clock() {
        return clock;
    }

    /** The merged configuration for {@code cwd}. Throws for a malformed file, naming it and the position. */
    public Settings settings(Path cwd) {
        ConfigLayers layers = layers(cwd);
        AcpxConfig c;
        try {
            c = layers.merged();
        } catch (ConfigException e) {
            throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
        }
        List<Path> files = new ArrayList<>();
        if (layers.global().exists()) {
            files.add(layers.global().path());
        }
        if (layers.project().exists()) {
            files.add(layers.project().path());
        }
        BigDecimal timeout = c.timeout() == null ? null
                : BigDecimal.valueOf(c.timeout().toMillis()).movePointLeft(3).stripTrailingZeros();
        return new Settings(c.defaultAgent(), c.defaultPermissions().wireName(),
                c.nonInteractivePermissions().wireName(), c.authPolicy().wireName(),
                BigDecimal.valueOf(c.ttl().toMillis()).movePointLeft(3).stripTrailingZeros(), timeout,
                c.format().wireName(), c.queueMaxDepth(), c.maxConcurrentSessions(), files);
    }

    /** The merged configuration for {@code cwd} as {@code config show} prints it (credentials masked). */
    public String configJson(Path cwd) {
        return ConfigView.show(layers(cwd), mapper).toPrettyString();
    }

    /**
     * Resolves an agent: with {@code raw} the text is a command line; otherwise a configured or
     * built-in name (or {@code demo}), and any other token is a raw command as in the Node acpx.
     */
    public AgentRef resolveAgent(String nameOrCommand, boolean raw, Path cwd) {
        ResolvedAgent resolved;
        try {
            resolved = raw ? registry.rawCommand(nameOrCommand) : registry.resolve(nameOrCommand, config(cwd));
        } catch (IllegalArgumentException e) {
            throw AcpxException.usage("bad agent command: " + e.getMessage());
        }
        List<String> argv = resolved.isBuiltinDemo() ? demoAgentArgv : resolved.argv();
        return new AgentRef(resolved.name(), resolved.agentCommand(), argv);
    }

    /** Runs one one-shot turn (SPEC §9.1): whatever happens, the agent's tree is gone when this returns. */
    public TurnResult exec(ExecRequest request, TurnListener listener) {
        AcpxConfig config = config(request.cwd());
        SlotPool slots = config.maxConcurrentSessions() == null ? null
                : new SlotPool(slotsDir(), config.maxConcurrentSessions(), clock, mapper);
        return new OneShotRunner(engine(), live).run(request, config, slots, listener);
    }

    private SessionService sessionService() {
        return new SessionService(new dev.acpx.core.session.SessionStore(acpxHome(), mapper, clock), warnings);
    }

    private OwnerBridge owners;

    private synchronized OwnerBridge owners() {
        if (owners == null) {
            owners = new OwnerBridge(engine(), acpxHome(), sessionService(), DemoAgentLauncher.ownerJvm(environment));
        }
        return owners;
    }

    private Path acpxHome() {
        Path home = userHome.resolve(".acpx");
        if (!homeReady) {
            try {
                PrivateFiles.ensureDirectory(home);
                // Checked up front (and again where each is used) so a foreign or world-writable
                // directory is one clear error, never "internal error" from deep in a command.
                for (String sub : new String[] {"sessions", "queue", "slots"}) {
                    Path dir = home.resolve(sub);
                    if (java.nio.file.Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        PrivateFiles.checkTrusted(dir);
                    }
                }
            } catch (UntrustedDirectoryException e) {
                throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
            } catch (java.io.IOException e) {
                throw new AcpxException(ErrorKind.RUNTIME, "cannot create " + home + ": " + e.getMessage()
                        + "; check that HOME is writable");
            }
            homeReady = true;
        }
        return home;
    }

    private volatile boolean homeReady;

    /**
     * {@code sessions new}: a fresh record for the scope; the open one it replaces is closed. As
     * in the Node acpx, the agent is started once to open the ACP session (and closed again), so
     * the record knows the agent's session id, capabilities and models; a failure leaves no record.
     *
     * @param timeout limit for the agent's start and session/new; null for none
     */
    public SessionOpened newSession(AgentRef agent, Path cwd, String name, Duration timeout) {
        return connected(sessionService().create(agent, cwd, name), agent, cwd, timeout);
    }

    public SessionOpened newSession(AgentRef agent, Path cwd, String name) {
        return newSession(agent, cwd, name, null);
    }

    /**
     * {@code sessions ensure}: the nearest open session of the scope, or a new one (also under
     * races), which is connected once like {@link #newSession}.
     */
    public SessionOpened ensureSession(AgentRef agent, Path cwd, String name, Duration timeout) {
        SessionOpened opened = sessionService().ensure(agent, cwd, name);
        return opened.created() ? connected(opened, agent, cwd, timeout) : opened;
    }

    public SessionOpened ensureSession(AgentRef agent, Path cwd, String name) {
        return ensureSession(agent, cwd, name, null);
    }

    private SessionOpened connected(SessionOpened opened, AgentRef agent, Path cwd, Duration timeout) {
        SessionService s = sessionService();
        String id = opened.session().recordId();
        var record = s.store().load(id).orElseThrow(() -> new AcpxException(ErrorKind.RUNTIME,
                "the session record " + id + " vanished while it was being created"));
        try {
            owners().connect(record, agent, config(cwd), timeout);
        } catch (RuntimeException e) {
            s.discard(id);
            throw e;
        }
        var fresh = s.store().load(id).orElse(record);
        return new SessionOpened(s.info(fresh), opened.created(), opened.replacedRecordId());
    }

    /**
     * {@code sessions list} asked of the agent ({@code session/list}); {@code filterCwd} absolute
     * or null. See {@link AgentSessionList} for the outcomes the caller falls back on.
     */
    public AgentSessionList listAgentSessions(AgentRef agent, Path cwd, String cursor, String filterCwd,
                                              Duration timeout) {
        return new dev.acpx.core.engine.AgentSessionLister(engine()).list(agent, cwd, config(cwd), cursor,
                filterCwd, timeout);
    }

    /** Every record of {@code agent} (all agents when null), each with its measured state. */
    public SessionList listSessions(AgentRef agentOrNull) {
        return sessionService().list(agentOrNull);
    }

    /**
     * The journals of this home's persistent sessions: read a session's events after a cursor, or
     * follow them live, without touching its turns (what {@code sessions watch} does).
     */
    public SessionEvents sessionEvents() {
        return new dev.acpx.core.journal.SessionJournals(acpxHome(), sessionService().store(), mapper);
    }

    /**
     * The record of {@code sessions read|watch}: exact cwd, agent command and name (closed ones
     * too), the open one first, else the most recently used; RUNTIME error with the Node acpx's words.
     */
    public SessionInfo exactSession(AgentRef agent, Path cwd, String name, String agentLabel) {
        SessionService s = sessionService();
        String dir = cwd.toString();
        return s.store().list().records().stream()
                .filter(r -> agent.command().equals(r.agentCommand()) && dir.equals(r.cwd())
                        && java.util.Objects.equals(name, r.name()))
                .min(java.util.Comparator.comparing((dev.acpx.core.session.SessionRecord r) -> r.closed())
                        .thenComparing(r -> r.lastUsedAt() == null ? java.time.Instant.EPOCH : r.lastUsedAt(),
                                java.util.Comparator.reverseOrder()))
                .map(s::info)
                .orElseThrow(() -> AcpxException.runtime(name == null
                        ? "No cwd session for " + dir + " and agent " + agentLabel
                        : "No named session \"" + name + "\" for cwd " + dir + " and agent " + agentLabel));
    }

    /** {@code sessions export}: the archive (format_version 1) of the scope's session, as JSON text. */
    public String exportSession(AgentRef agent, Path cwd, String name) {
        var export = new dev.acpx.core.archive.SessionExport(sessionService().store(), mapper, userHome);
        return export.archive(export.find(agent.command(), cwd, name), agent.name(), clock.instant()).toString();
    }

    /** {@code sessions import}: a new open record from an archive; {@code cwd} null = the archive's. */
    public SessionInfo importSession(AgentRef agent, Path archive, String name, Path cwd) {
        SessionService s = sessionService();
        var imported = new dev.acpx.core.archive.SessionImport(s.store(), mapper, userHome)
                .importArchive(archive, name, cwd, agent.command(), agent.name());
        return s.info(s.store().load(imported.recordId()).orElseThrow());
    }

    /** One record by name, id, or the scope's current one; closed ones too. */
    public SessionInfo showSession(AgentRef agent, Path cwd, String nameOrId) {
        SessionService s = sessionService();
        return s.info(scoped(s, agent, cwd, nameOrId, true));
    }

    /** The last {@code limit} turns of a session. */
    public List<HistoryItem> history(AgentRef agent, Path cwd, String nameOrId, int limit) {
        SessionService s = sessionService();
        return s.history(scoped(s, agent, cwd, nameOrId, true), limit);
    }

    /** Soft-closes a session: its owner and agent tree stop, the record says closed, when and why. */
    public SessionInfo closeSession(AgentRef agent, Path cwd, String nameOrId) {
        SessionService s = sessionService();
        return s.close(scoped(s, agent, cwd, nameOrId, false), "closed by sessions close");
    }

    /** show, history and close name a missing session as the Node acpx does (RUNTIME, exit 1). */
    private static dev.acpx.core.session.SessionRecord scoped(SessionService s, AgentRef agent, Path cwd,
                                                            String nameOrId, boolean includeClosed) {
        try {
            return s.lookup(agent, cwd, nameOrId, includeClosed);
        } catch (AcpxException e) {
            if (e.kind() == ErrorKind.NO_SESSION) {
                throw SessionService.missingScoped(agent, cwd, nameOrId);
            }
            throw e;
        }
    }

    /** Deletes closed records closed before {@code before} (all closed ones when null). */
    public List<SessionInfo> prune(AgentRef agentOrNull, boolean dryRun, java.time.Instant before,
                                   boolean includeHistory) {
        return sessionService().prune(agentOrNull, dryRun, before, includeHistory);
    }

    /** A prompt to the scope's open session through its queue owner; NO_SESSION (exit 4) when none. */
    public TurnResult prompt(PromptRequest request, TurnListener listener) {
        return owners().prompt(request, config(request.cwd()), listener);
    }

    /** Cancels the running turn of the session; false when nothing runs. */
    public boolean cancel(AgentRef agent, Path cwd, String name) {
        SessionService s = sessionService();
        return owners().cancel(s.lookup(agent, cwd, name, false));
    }

    public StatusInfo status(AgentRef agent, Path cwd, String name) {
        SessionService s = sessionService();
        s.list(agent);
        return owners().status(s.lookup(agent, cwd, name, false));
    }

    public void setMode(AgentRef agent, Path cwd, String name, String modeId) {
        SessionService s = sessionService();
        owners().setMode(s.lookup(agent, cwd, name, false), agent, config(cwd), modeId);
    }

    /** {@code set KEY VALUE}; returns a one-line summary. */
    public String setOption(AgentRef agent, Path cwd, String name, String key, String value) {
        SessionService s = sessionService();
        return owners().setOption(s.lookup(agent, cwd, name, false), agent, config(cwd), key, value);
    }

    /**
     * Opens a session held by this JVM: takes a host-wide slot (waiting up to the options' or the
     * runtime's {@code slotWait}), then the session's record: a new one-shot record, or the scope's
     * open persistent one (created when there is none). The agent starts at the first prompt.
     *
     * @throws AcpxException RUNTIME naming the holders when no slot is free in time, or when
     *                       another handle or a queue owner holds the persistent session
     */
    public Session open(SessionOptions options) {
        EmbeddedSessions sessions = embedded();
        Integer limit = maxConcurrentSessions != null ? maxConcurrentSessions
                : config(options.cwd()).maxConcurrentSessions();
        EmbeddedSessions.OpenRequest request = new EmbeddedSessions.OpenRequest(options.agent(), options.cwd(),
                options.mode() == SessionMode.ONESHOT, options.name(), limit,
                options.slotWait() != null ? options.slotWait() : slotWait, options.access(),
                options.handshakeTimeout() != null ? options.handshakeTimeout() : handshakeTimeout);
        AcpxConfig config = config(options.cwd());
        EmbeddedSession engine = sessions.open(request, config, handles::remove);
        Session session = new Session(engine, options);
        handles.put(engine, session);
        if (engine.closed()) {
            handles.remove(engine); // closed by the runtime's close in between
        }
        return session;
    }

    /** The sessions this runtime holds open now, each with its {@link Session#status()}. */
    public List<Session> sessions() {
        return handles.values().stream().filter(Session::isOpen).toList();
    }

    /** The measured status of every session this runtime holds open. */
    public List<SessionStatus> statuses() {
        return sessions().stream().map(Session::status).toList();
    }

    /** Host-wide session slots held right now by any process on this host (this JVM included). */
    public int slotsInUse() {
        return embedded().slotsInUse();
    }

    private final Map<EmbeddedSession, Session> handles = new ConcurrentHashMap<>();

    private synchronized EmbeddedSessions embedded() {
        EngineContext ctx = engine();
        if (embedded == null) {
            embedded = new EmbeddedSessions(ctx, acpxHome(), sessionService());
            if (shutdownHook) {
                hook = new Thread(() -> closeNow("jvm_exit"), "acpx-runtime-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
            }
        }
        return embedded;
    }

    /** Writes the config template to {@code ~/.acpx/config.json}; null when one already exists. */
    public Path initConfig() {
        ConfigLoader.InitResult result = configLoader.initGlobal();
        return result.created() ? result.path() : null;
    }

    private Path slotsDir() {
        return acpxHome().resolve("slots");
    }

    /**
     * A signal arrived: every prompt of this runtime waiting on a queue owner has its turn
     * cancelled (up to {@link #INTERRUPT_BUDGET} for the owners to confirm, so Ctrl+C stays quick
     * even with a stuck owner), and every agent this runtime runs itself is ended, its tree gone
     * and its record closed with the reason, when this returns.
     */
    public void interrupt() {
        OwnerBridge bridge;
        synchronized (this) {
            bridge = owners;
        }
        if (bridge != null) {
            bridge.interruptActivePrompt(INTERRUPT_BUDGET);
        }
        for (AgentSession s : live) {
            s.close("interrupted");
        }
    }

    /**
     * Ends everything this runtime runs: every open session (one-shot records end closed with the
     * reason {@code runtime_closed}), every exec, and every agent process tree. Idempotent.
     */
    @Override
    public void close() {
        Thread h;
        synchronized (this) {
            h = hook;
            hook = null;
        }
        if (h != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }
        closeNow("runtime_closed");
    }

    private synchronized void closeNow(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (embedded != null) {
            embedded.closeAll(reason, true);
        }
        for (AgentSession s : live) {
            s.close(reason);
        }
        if (supervisor != null) {
            supervisor.close();
        }
    }
}
