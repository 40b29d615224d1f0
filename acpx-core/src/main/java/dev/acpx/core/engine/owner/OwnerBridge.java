package dev.acpx.core.engine.owner;

import dev.acpx.core.engine.agent.EngineContext;
import dev.acpx.core.engine.host.PersistentHost;
import dev.acpx.core.session.SessionService;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PromptRequest;
import dev.acpx.api.StatusInfo;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.lifecycle.HolderInfo;
import dev.acpx.core.lifecycle.ProcessIdentity;
import dev.acpx.core.lifecycle.SlotPool;
import dev.acpx.core.queue.Deadline;
import dev.acpx.core.queue.DetachedSpawner;
import dev.acpx.core.queue.OwnerSpawner;
import dev.acpx.core.queue.EventInterest;
import dev.acpx.core.queue.OwnerClient;
import dev.acpx.core.queue.OwnerLaunch;
import dev.acpx.core.queue.OwnerLauncher;
import dev.acpx.core.queue.OwnerSettings;
import dev.acpx.core.queue.OwnerStatus;
import dev.acpx.core.queue.QueuePaths;
import dev.acpx.core.queue.TurnRequest;
import dev.acpx.core.session.SessionRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Talks to a session's queue owner (SPEC §4): prompts are submitted to it, starting it when none
 * runs; cancel, status, set-mode and set go to it when it runs, else straight to the agent.
 */
public final class OwnerBridge {
    private static final Duration OWNER_START_DEADLINE = Duration.ofSeconds(30);
    private static final Duration PING_DEADLINE = Duration.ofMillis(300);

    private final EngineContext ctx;
    private final Path acpxHome;
    private final SessionService sessions;
    private final QueuePaths paths;
    private final List<String> ownerJvm;
    private final String mcpConfig;

    /** @param ownerJvm the java command and options that start an owner JVM on this classpath */
    public OwnerBridge(EngineContext ctx, Path acpxHome, SessionService sessions, List<String> ownerJvm) {
        this(ctx, acpxHome, sessions, ownerJvm, null);
    }

    /** @param mcpConfig {@code --mcp-config} as given (resolved against each session's cwd), or null */
    public OwnerBridge(EngineContext ctx, Path acpxHome, SessionService sessions, List<String> ownerJvm,
                       String mcpConfig) {
        this(ctx, acpxHome, sessions, ownerJvm, mcpConfig, null);
    }

    /**
     * Starts a session's owner in the per-user daemon (opt-in): given how to launch the owner of a
     * record id, the spawner that has the daemon host it. The daemon package builds on this one, so
     * it is handed in by the runtime rather than named here.
     */
    @FunctionalInterface
    public interface DaemonOwners {
        OwnerSpawner spawner(java.util.function.Function<String, OwnerLaunch> launches, Duration startDeadline);
    }

    /** @param daemonOwners the per-user daemon's spawners, or null when the daemon is off */
    public OwnerBridge(EngineContext ctx, Path acpxHome, SessionService sessions, List<String> ownerJvm,
                       String mcpConfig, DaemonOwners daemonOwners) {
        this.mcpConfig = mcpConfig;
        this.ctx = ctx;
        this.acpxHome = acpxHome;
        this.sessions = sessions;
        this.paths = new QueuePaths(acpxHome);
        this.ownerJvm = List.copyOf(ownerJvm);
        this.daemonOwners = daemonOwners;
    }

    /** The per-user daemon's spawners when it hosts this caller's owners (opt-in), else null. */
    private final DaemonOwners daemonOwners;

    public TurnResult prompt(PromptRequest request, AcpxConfig config, TurnListener listener) {
        SessionRecord record = sessions.require(request.agent(), request.cwd(), request.sessionName());
        if (!ownerAlive(record)) {
            checkHostHasRoom(config, record);
        } else {
            // SPEC-P2 §7: a warm owner keeps the MCP servers it started with; another list is refused
            dev.acpx.core.config.McpConfigFile mine;
            try {
                mine = mcpConfig == null ? null
                        : dev.acpx.core.config.McpConfigFile.load(request.cwd(), mcpConfig, ctx.mapper());
            } catch (dev.acpx.core.config.ConfigException e) {
                throw new AcpxException(dev.acpx.api.ErrorKind.RUNTIME, e.getMessage());
            }
            dev.acpx.core.config.OwnerMcpNote.check(acpxHome, record.acpxRecordId(),
                    dev.acpx.core.config.OwnerMcpNote.of(mine), ctx.mapper());
        }
        // Capabilities are fixed when the owner starts (SPEC-P2 §8): they travel on its command line.
        OwnerSettings settings = OwnerSettings.of(config.queueMaxDepth(), request.ttl()).withAccess(request.access())
                .withMcpConfig(mcpConfig == null ? null : request.cwd().resolve(mcpConfig).toAbsolutePath().normalize());
        // The owner runs the agent this caller resolved, never one named by the record; in the
        // per-user daemon when that is on, else in a process of its own.
        OwnerSpawner spawner = daemonOwners != null
                ? daemonOwners.spawner(id -> new OwnerLaunch(acpxHome, id, settings, request.agent().argv()),
                        OWNER_START_DEADLINE)
                : new DetachedSpawner(paths,
                        id -> ownerArgv(new OwnerLaunch(acpxHome, id, settings, request.agent().argv())));
        // A caller that leaves at once (--no-wait) cannot answer questions: the owner must not ask it.
        boolean canAsk = request.asker() != null && !request.noWait();
        TurnRequest turn = new TurnRequest(request.prompt(), request.permissions().mode(),
                request.permissions().nonInteractive(),
                request.timeout() == null ? null : Math.max(1, request.timeout().toMillis()), canAsk,
                EventInterest.of(listener), request.permissions().rules(), request.promptRetries());
        String requestId = OwnerClient.newRequestId();
        // Each prompt keeps its own state: prompts of several threads of one runtime run at once.
        ActivePrompt mine = new ActivePrompt(record.acpxRecordId(), requestId, new CountDownLatch(1));
        active.put(requestId, mine);
        // --timeout bounds the whole wait (connect, queue, turn), whatever the owner does.
        Deadline overall = Deadline.after(request.timeout());
        TurnResult result;
        try {
            result = new OwnerLauncher(paths, ctx.mapper(), ctx.clock()).submit(record.acpxRecordId(), spawner,
                    OWNER_START_DEADLINE, overall, requestId, turn, request.noWait(), listener,
                    canAsk ? request.asker() : null);
        } finally {
            mine.finished().countDown();
            active.remove(requestId, mine);
        }
        if (result == null) {
            return new TurnResult(new StopReason("queued"), 0, 0, record.acpSessionId(), record.acpxRecordId(), requestId);
        }
        return result;
    }

    private record ActivePrompt(String recordId, String requestId, CountDownLatch finished) {}

    /** The prompts waiting on owners now, by request id. */
    private final Map<String, ActivePrompt> active = new ConcurrentHashMap<>();

    /**
     * Ctrl+C in waiting prompts (SPEC §4): asks the owners to cancel these callers' turns, and
     * waits for them to end with {@code cancelled}, all within {@code budget} (a stuck owner gets
     * no more than that); true if a turn was waiting.
     */
    public boolean interruptActivePrompt(Duration budget) {
        Deadline deadline = Deadline.after(budget);
        List<ActivePrompt> waiting = List.copyOf(active.values());
        for (ActivePrompt p : waiting) {
            try {
                new OwnerClient(paths, p.recordId(), ctx.mapper(), deadline.remaining()).cancel(p.requestId());
            } catch (RuntimeException e) {
                // the owner is gone, busy or stuck: giving up is the documented behaviour
            }
        }
        for (ActivePrompt p : waiting) {
            try {
                p.finished().await(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !waiting.isEmpty();
    }


    /** A full host fails at once, naming the live sessions that hold the slots (SPEC §9.3). */
    private void checkHostHasRoom(AcpxConfig config, SessionRecord record) {
        if (config.maxConcurrentSessions() == null) {
            return;
        }
        SlotPool pool = new SlotPool(acpxHome.resolve("slots"), config.maxConcurrentSessions(), ctx.clock(), ctx.mapper());
        List<HolderInfo> holders = pool.liveHolders();
        if (holders.size() >= config.maxConcurrentSessions()) {
            throw new AcpxException(ErrorKind.RUNTIME, "maxConcurrentSessions (" + config.maxConcurrentSessions()
                    + ") reached: held by " + String.join(", ", holders.stream().map(HolderInfo::label).toList())
                    + "; close one with `acpx sessions close` or raise maxConcurrentSessions");
        }
    }

    List<String> ownerArgv(OwnerLaunch launch) {
        List<String> argv = new java.util.ArrayList<>(ownerJvm);
        argv.add(OwnerMain.class.getName());
        argv.addAll(launch.toArgs());
        return argv;
    }

    static boolean ownerAlive(SessionRecord r) {
        return r.ownerPid() != null && r.ownerStartedAt() != null
                && new ProcessIdentity(r.ownerPid(), r.ownerStartedAt()).isAlive();
    }

    private Optional<OwnerClient> liveOwner(SessionRecord record) {
        if (!ownerAlive(record)) {
            return Optional.empty();
        }
        try {
            OwnerClient client = OwnerClient.connect(paths, record.acpxRecordId(), ctx.mapper(), PING_DEADLINE);
            return Optional.of(client);
        } catch (AcpxException e) {
            return Optional.empty();
        }
    }

    /** Sends session/cancel for the running turn; false when nothing runs. */
    public boolean cancel(SessionRecord record) {
        return liveOwner(record).map(OwnerClient::cancel).orElse(false);
    }

    public StatusInfo status(SessionRecord record) {
        Optional<OwnerClient> owner = liveOwner(record);
        if (owner.isPresent()) {
            try {
                OwnerStatus s = owner.get().status();
                SessionRecord fresh = sessions.store().load(record.acpxRecordId()).orElse(record);
                return new StatusInfo(sessions.info(fresh), s.state(), s.queueDepth(),
                        s.host() == null ? null : s.host().agentPid());
            } catch (AcpxException e) {
                // the owner went away while we asked: report the record
            }
        }
        return new StatusInfo(sessions.info(record), null, null, null);
    }

    public void setMode(SessionRecord record, AgentRef agent, AcpxConfig config, String modeId) {
        Optional<OwnerClient> owner = liveOwner(record);
        if (owner.isPresent()) {
            owner.get().setMode(modeId);
            return;
        }
        PersistentHost host = directHost(record, agent, config);
        try {
            host.setMode(modeId);
        } finally {
            host.close("connection_close");
        }
    }

    public String setOption(SessionRecord record, AgentRef agent, AcpxConfig config, String key, String value) {
        Optional<OwnerClient> owner = liveOwner(record);
        if (owner.isPresent()) {
            return owner.get().setConfig(key, value);
        }
        PersistentHost host = directHost(record, agent, config);
        try {
            return host.setConfigOption(key, value);
        } finally {
            host.close("connection_close");
        }
    }

    /**
     * Starts the agent once for a record that was just created, opens its ACP session and
     * records what the agent reported, then lets it go: the Node acpx's {@code sessions new}.
     */
    public void connect(SessionRecord record, AgentRef agent, AcpxConfig config, java.time.Duration timeout) {
        connect(record, agent, config, timeout, null);
    }

    /** As {@link #connect}, adopting the agent's session {@code resumeSessionId} when not null. */
    public void connect(SessionRecord record, AgentRef agent, AcpxConfig config, java.time.Duration timeout,
                        String resumeSessionId) {
        PersistentHost host = directHost(record, agent, config);
        try {
            if (resumeSessionId != null) {
                host.adopt(resumeSessionId, timeout);
            } else {
                host.open(timeout);
            }
        } finally {
            host.close("connection_close");
        }
    }

    /** No owner runs: the caller's resolved agent serves the command (never a program the record names). */
    private PersistentHost directHost(SessionRecord record, AgentRef agent, AcpxConfig config) {
        return new PersistentHost(ctx, sessions.store(), config, agent, record);
    }
}
