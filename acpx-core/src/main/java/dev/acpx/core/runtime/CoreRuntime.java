package dev.acpx.core.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.AgentSessionList;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.HistoryItem;
import dev.acpx.api.PromptRequest;
import dev.acpx.api.RuntimeOptions;
import dev.acpx.api.Session;
import dev.acpx.api.SessionAgentOptions;
import dev.acpx.api.SessionInfo;
import dev.acpx.api.SessionList;
import dev.acpx.api.SessionMode;
import dev.acpx.api.SessionOpened;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.SessionStatus;
import dev.acpx.api.Settings;
import dev.acpx.api.StatusInfo;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.config.ConfigLoader;
import dev.acpx.core.engine.agent.AgentSession;
import dev.acpx.core.engine.agent.DemoAgentLauncher;
import dev.acpx.core.engine.embedded.EmbeddedSession;
import dev.acpx.core.engine.embedded.EmbeddedSessions;
import dev.acpx.core.engine.agent.EngineContext;
import dev.acpx.core.engine.host.OneShotRunner;
import dev.acpx.core.daemon.DaemonControl;
import dev.acpx.core.daemon.DaemonPaths;
import dev.acpx.core.daemon.DaemonSpawner;
import dev.acpx.core.daemon.DaemonStarter;
import dev.acpx.core.daemon.DaemonSwitch;
import dev.acpx.core.engine.owner.OwnerBridge;
import dev.acpx.core.session.SessionService;
import dev.acpx.core.lifecycle.SlotPool;
import dev.acpx.core.fleet.FleetHolding;
import dev.acpx.core.fleet.FleetPool;
import dev.acpx.core.fleet.FleetSlot;
import dev.acpx.core.process.ProcessSupervisor;
import dev.acpx.core.session.SessionRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * acpx-core's {@link AcpxRuntime}: the runtime an embedding host (and the CLI) builds with
 * {@link AcpxRuntime#builder()}, found through {@link CoreRuntimeProvider}.
 */
public final class CoreRuntime implements AcpxRuntime {
    private final Path userHome;
    private final AcpxHome home;
    private final Map<String, String> environment;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final RuntimeConfig config;
    private final Set<AgentSession> live = ConcurrentHashMap.newKeySet();
    /** Agents being closed in the background (a listing's agent); close() waits for them. */
    private final Set<java.util.concurrent.CompletableFuture<Void>> closing = ConcurrentHashMap.newKeySet();
    /** The fleet slots of running execs (docs/FLEET.md). */
    private final Set<FleetSlot> fleetSlots = ConcurrentHashMap.newKeySet();
    private final List<String> demoAgentArgv;
    private ProcessSupervisor supervisor;
    private EngineContext engine;
    private volatile boolean closed;
    private final Integer maxConcurrentSessions;
    private final dev.acpx.api.FleetOptions fleet;
    private final Duration slotWait;
    private final Duration handshakeTimeout;
    private final boolean shutdownHook;
    private final java.util.function.Consumer<String> warnings;
    private EmbeddedSessions embedded;
    private Thread hook;

    CoreRuntime(RuntimeOptions b) {
        this.maxConcurrentSessions = b.maxConcurrentSessions();
        this.fleet = b.fleet();
        this.slotWait = b.slotWait();
        this.handshakeTimeout = b.handshakeTimeout();
        this.shutdownHook = b.shutdownHook();
        this.warnings = b.warnings();
        this.userHome = b.userHome();
        this.home = new AcpxHome(userHome.resolve(".acpx"));
        this.environment = b.environment();
        this.clock = b.clock();
        this.mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        this.demoAgentArgv = b.demoAgentArgv() != null ? b.demoAgentArgv()
                : DemoAgentLauncher.argv(environment);
        this.config = new RuntimeConfig(new ConfigLoader(userHome, mapper), mapper, demoAgentArgv, b.mcpConfig());
    }

    private synchronized EngineContext engine() {
        if (closed) {
            throw new AcpxException(ErrorKind.INTERRUPTED, "the runtime is closed");
        }
        if (engine == null) {
            supervisor = ProcessSupervisor.forRuntime();
            engine = new EngineContext(mapper, supervisor, clock, environment, VERSION);
        }
        return engine;
    }

    AcpxConfig config(Path cwd) {
        return config.config(cwd);
    }

    /** The clock this runtime reads time from. */
    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Settings settings(Path cwd) {
        return config.settings(cwd);
    }

    @Override
    public String configJson(Path cwd) {
        return config.configJson(cwd);
    }

    @Override
    public AgentRef resolveAgent(String nameOrCommand, boolean raw, Path cwd) {
        return config.resolveAgent(nameOrCommand, raw, cwd);
    }

    /** Runs one one-shot turn (SPEC §9.1): whatever happens, the agent's tree is gone when this returns. */
    @Override
    public TurnResult exec(ExecRequest request, TurnListener listener) {
        AcpxConfig config = config(request.cwd());
        SlotPool slots = config.maxConcurrentSessions() == null ? null
                : new SlotPool(slotsDir(), config.maxConcurrentSessions(), clock, mapper);
        return new OneShotRunner(engine(), live, fleetPool().orElse(null), fleetSlots)
                .run(request, config, slots, listener);
    }

    /** The fleet-wide limit (docs/FLEET.md), read again each time like the config; empty when none. */
    private java.util.Optional<FleetPool> fleetPool() {
        return FleetHolding.pool(fleet, userHome, environment, mapper);
    }

    @Override
    public List<dev.acpx.api.FleetSession> fleetSessions() {
        return fleetPool().orElseThrow(() -> AcpxException.usage("no fleet is configured: add \"fleet\": {\"jdbcUrl\":"
                + " ..., \"maxConcurrentSessions\": N} to ~/.acpx/config.json (or set "
                + dev.acpx.core.fleet.FleetSettings.ENV_URL + " with it)")).sessions();
    }

    private SessionService sessionService() {
        return new SessionService(new dev.acpx.core.session.SessionStore(acpxHome(), mapper, clock), warnings,
                CoreRuntime::stopInDaemon);
    }

    /** A session whose owner is the per-user daemon is stopped there: the daemon hosts others too. */
    private static boolean stopInDaemon(long pid, Path acpxHome, String recordId, Duration grace) {
        if (!DaemonControl.isDaemon(pid, acpxHome)) {
            return false;
        }
        DaemonControl.stopSession(acpxHome, recordId, grace);
        return true;
    }

    private OwnerBridge owners;

    private synchronized OwnerBridge owners() {
        if (owners == null) {
            List<String> ownerJvm = DemoAgentLauncher.ownerJvm(environment);
            Path acpxHome = acpxHome();
            OwnerBridge.DaemonOwners daemon = !DaemonSwitch.enabled(environment, acpxHome, mapper) ? null
                    : (launches, deadline) -> new DaemonSpawner(
                            new DaemonStarter(DaemonPaths.of(acpxHome), mapper, ownerJvm), launches, environment, deadline);
            owners = new OwnerBridge(engine(), acpxHome, sessionService(), ownerJvm, config.mcpConfig(), daemon);
        }
        return owners;
    }

    private Path acpxHome() {
        return home.checked();
    }

    /**
     * {@code sessions new}: a fresh record for the scope; the open one it replaces is closed. As
     * in the Node acpx, the agent is started once to open the ACP session (and closed again), so
     * the record knows the agent's session id, capabilities and models; a failure leaves no record.
     *
     * @param timeout limit for the agent's start and session/new; null for none
     */
    @Override
    public SessionOpened newSession(AgentRef agent, Path cwd, String name, Duration timeout) {
        return newSession(agent, cwd, name, timeout, SessionAgentOptions.NONE);
    }

    @Override
    public SessionOpened newSession(AgentRef agent, Path cwd, String name, Duration timeout,
                                    SessionAgentOptions options) {
        return newSession(agent, cwd, name, timeout, options, null);
    }

    @Override
    public SessionOpened newSession(AgentRef agent, Path cwd, String name, Duration timeout,
                                    SessionAgentOptions options, String resumeSessionId) {
        return connected(sessionService().create(agent, cwd, name), agent, cwd, timeout, options, resumeSessionId);
    }

    @Override
    public SessionOpened newSession(AgentRef agent, Path cwd, String name) {
        return newSession(agent, cwd, name, null);
    }

    /**
     * {@code sessions ensure}: the nearest open session of the scope, or a new one (also under
     * races), which is connected once like {@link #newSession}.
     */
    @Override
    public SessionOpened ensureSession(AgentRef agent, Path cwd, String name, Duration timeout) {
        return ensureSession(agent, cwd, name, timeout, SessionAgentOptions.NONE);
    }

    @Override
    public SessionOpened ensureSession(AgentRef agent, Path cwd, String name, Duration timeout,
                                       SessionAgentOptions options) {
        return ensureSession(agent, cwd, name, timeout, options, null);
    }

    @Override
    public SessionOpened ensureSession(AgentRef agent, Path cwd, String name, Duration timeout,
                                       SessionAgentOptions options, String resumeSessionId) {
        SessionOpened opened = sessionService().ensure(agent, cwd, name);
        if (opened.created()) {
            return connected(opened, agent, cwd, timeout, options, resumeSessionId);
        }
        if (options != null && options.model() != null) {
            // As the Node acpx: an existing session is switched to the model asked for (like `set model`).
            setOption(agent, cwd, name, "model", options.model());
            SessionService s = sessionService();
            return new SessionOpened(s.info(s.lookup(agent, cwd, name, false)), false, null);
        }
        return opened;
    }

    @Override
    public SessionOpened ensureSession(AgentRef agent, Path cwd, String name) {
        return ensureSession(agent, cwd, name, null);
    }

    private SessionOpened connected(SessionOpened opened, AgentRef agent, Path cwd, Duration timeout,
                                    SessionAgentOptions options, String resumeSessionId) {
        return SessionCommands.connected(sessionService(), owners(), opened, agent, config(cwd), timeout, options,
                resumeSessionId);
    }

    /**
     * {@code sessions list} asked of the agent ({@code session/list}); {@code filterCwd} absolute
     * or null. See {@link AgentSessionList} for the outcomes the caller falls back on.
     */
    @Override
    public AgentSessionList listAgentSessions(AgentRef agent, Path cwd, String cursor, String filterCwd,
                                              Duration timeout) {
        return new dev.acpx.core.engine.agent.AgentSessionLister(engine(), this::closeInBackground)
                .list(agent, cwd, config(cwd), cursor, filterCwd, timeout);
    }

    private void closeInBackground(AgentSession s) {
        var done = new java.util.concurrent.CompletableFuture<Void>();
        closing.add(done);
        Thread.ofPlatform().daemon().name("acpx-agent-close").start(() -> {
            try {
                s.close("connection_close");
            } finally {
                done.complete(null);
                closing.remove(done);
            }
        });
    }

    @Override
    public dev.acpx.api.SessionEvents sessionEvents() {
        return new dev.acpx.core.journal.SessionJournals(acpxHome(), sessionService().store(), mapper);
    }

    @Override
    public SessionInfo exactSession(AgentRef agent, Path cwd, String name, String agentLabel) {
        return JournalCommands.exactSession(sessionService(), agent, cwd, name, agentLabel);
    }

    @Override
    public String exportSession(AgentRef agent, Path cwd, String name) {
        return JournalCommands.exportSession(sessionService(), mapper, userHome, agent, cwd, name, clock.instant());
    }

    @Override
    public SessionInfo importSession(AgentRef agent, Path archive, String name, Path cwd) {
        return JournalCommands.importSession(sessionService(), mapper, userHome, agent, archive, name, cwd);
    }

    /** Every record of {@code agent} (all agents when null), each with its measured state. */
    @Override
    public SessionList listSessions(AgentRef agentOrNull) {
        return sessionService().list(agentOrNull);
    }

    /** One record by name, id, or the scope's current one; closed ones too. */
    @Override
    public SessionInfo showSession(AgentRef agent, Path cwd, String nameOrId) {
        SessionService s = sessionService();
        return s.info(scoped(s, agent, cwd, nameOrId, true));
    }

    /** The last {@code limit} turns of a session. */
    @Override
    public List<HistoryItem> history(AgentRef agent, Path cwd, String nameOrId, int limit) {
        SessionService s = sessionService();
        return s.history(scoped(s, agent, cwd, nameOrId, true), limit);
    }

    /** Soft-closes a session: its owner and agent tree stop, the record says closed, when and why. */
    @Override
    public SessionInfo closeSession(AgentRef agent, Path cwd, String nameOrId) {
        return closeSession(agent, cwd, nameOrId, "closed by sessions close");
    }

    @Override
    public SessionInfo closeSession(AgentRef agent, Path cwd, String nameOrId, String reason) {
        SessionService s = sessionService();
        return s.close(scoped(s, agent, cwd, nameOrId, false), reason);
    }

    private static SessionRecord scoped(SessionService s, AgentRef agent, Path cwd, String nameOrId,
                                        boolean includeClosed) {
        return SessionCommands.scoped(s, agent, cwd, nameOrId, includeClosed);
    }

    /** Deletes closed records closed before {@code before} (all closed ones when null). */
    @Override
    public List<SessionInfo> prune(AgentRef agentOrNull, boolean dryRun, java.time.Instant before,
                                   boolean includeHistory) {
        return sessionService().prune(agentOrNull, dryRun, before, includeHistory);
    }

    /** A prompt to the scope's open session through its queue owner; NO_SESSION (exit 4) when none. */
    @Override
    public TurnResult prompt(PromptRequest request, TurnListener listener) {
        return owners().prompt(request, config(request.cwd()), listener);
    }

    /** Cancels the running turn of the session; false when nothing runs. */
    @Override
    public boolean cancel(AgentRef agent, Path cwd, String name) {
        SessionService s = sessionService();
        return owners().cancel(s.lookup(agent, cwd, name, false));
    }

    @Override
    public StatusInfo status(AgentRef agent, Path cwd, String name) {
        SessionService s = sessionService();
        s.list(agent);
        return owners().status(s.lookup(agent, cwd, name, false));
    }

    @Override
    public void setMode(AgentRef agent, Path cwd, String name, String modeId) {
        SessionService s = sessionService();
        owners().setMode(s.lookup(agent, cwd, name, false), agent, config(cwd), modeId);
    }

    /** {@code set KEY VALUE}; returns a one-line summary. */
    @Override
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
    @Override
    public Session open(SessionOptions options) {
        EmbeddedSessions sessions = embedded();
        Integer limit = maxConcurrentSessions != null ? maxConcurrentSessions
                : config(options.cwd()).maxConcurrentSessions();
        EmbeddedSessions.OpenRequest request = new EmbeddedSessions.OpenRequest(options.agent(), options.cwd(),
                options.mode() == SessionMode.ONESHOT, options.name(), limit,
                options.slotWait() != null ? options.slotWait() : slotWait, options.access(),
                options.handshakeTimeout() != null ? options.handshakeTimeout() : handshakeTimeout,
                options.agentOptions());
        AcpxConfig config = config(options.cwd());
        EmbeddedSession engine = sessions.open(request, config, fleetPool().orElse(null), handles::remove);
        Session session = new CoreSession(engine, options);
        handles.put(engine, session);
        if (engine.closed()) {
            handles.remove(engine); // closed by the runtime's close in between
        }
        return session;
    }

    /** The sessions this runtime holds open now, each with its {@link Session#status()}. */
    @Override
    public List<Session> sessions() {
        return handles.values().stream().filter(Session::isOpen).toList();
    }

    /** The measured status of every session this runtime holds open. */
    @Override
    public List<SessionStatus> statuses() {
        return sessions().stream().map(Session::status).toList();
    }

    /** Host-wide session slots held right now by any process on this host (this JVM included). */
    @Override
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
    @Override
    public Path initConfig() {
        return config.initConfig();
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
    @Override
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
        // The agents are gone: give their fleet slots back now rather than after the grace (the CLI
        // halts right after this). Bounded (3 s: 1 s was missed on a loaded CI host, leaving an "ending"
        // row that blocks the slot for the 8 s grace): a slow database leaves the rows to age out instead.
        FleetSlot.closeAll(fleetSlots, java.time.Duration.ofSeconds(3));
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
        // Each close is bounded (session/close, then the tree's grace): wait for them before the
        // supervisor ends what is left, so an agent leaves as it would have in the foreground.
        for (var pending : List.copyOf(closing)) {
            pending.join();
        }
        if (supervisor != null) {
            supervisor.close();
        }
    }
}
