package dev.acpx.core.engine.owner;

import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.journal.EngineJournal;
import dev.acpx.core.journal.JournalWriter;
import dev.acpx.core.engine.agent.EngineContext;
import dev.acpx.core.engine.host.PersistentHost;
import dev.acpx.core.lifecycle.SlotHolding;
import dev.acpx.core.fleet.FleetHolder;
import dev.acpx.core.fleet.FleetHolding;
import dev.acpx.core.fleet.FleetSlot;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.AcpxVersion;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.config.ConfigLoader;
import dev.acpx.core.lifecycle.HolderInfo;
import dev.acpx.core.lifecycle.ProcessIdentity;
import dev.acpx.core.lifecycle.Slot;
import dev.acpx.core.lifecycle.SlotPool;
import dev.acpx.core.process.ProcessSupervisor;
import dev.acpx.core.queue.OwnerLaunch;
import dev.acpx.core.queue.OwnerProcess;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionStore;
import dev.acpx.core.engine.SessionHostFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The queue owner process (started detached by {@link OwnerBridge}): holds one session's agent
 * warm, and a host-wide slot while it lives; the kernel frees that slot if it is killed.
 */
public final class OwnerMain {
    private OwnerMain() {}

    public static void main(String[] args) {
        ObjectMapper mapper = new ObjectMapper();
        Clock clock = Clock.systemUTC();
        ProcessSupervisor supervisor = new ProcessSupervisor();
        EngineContext ctx = new EngineContext(mapper, supervisor, clock, System.getenv(), AcpxVersion.version());
        // The engine's journal hook (the session's .stream.ndjson) reaches the host through the factory.
        // What the session holds (its slot) is released as this process exits (by the kernel if killed).
        // Fenced by the fleet (docs/FLEET.md): the record is closed with the reason, then this owner leaves.
        int code = OwnerProcess.run(args, launch -> factory(ctx, launch, OwnerMain::releaseAtExit, reason -> System.exit(1)),
                launch -> journal(ctx, launch), mapper, clock, System.err);
        supervisor.close();
        System.exit(code);
    }

    private static void releaseAtExit(AutoCloseable held) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                held.close();
            } catch (Exception e) {
                // the kernel frees it with the process anyway
            }
        }));
    }

    /**
     * The journal of the session this owner serves (SPEC-P2 §1.1: the queue owner's turns are
     * journaled); none when the record is gone or closed, which the host's open reports.
     */
    public static JournalHook journal(EngineContext ctx, OwnerLaunch launch) {
        SessionStore store = new SessionStore(launch.acpxHome(), ctx.mapper(), ctx.clock());
        return store.load(launch.recordId()).filter(r -> !r.closed())
                .map(r -> EngineJournal.of(JournalWriter.open(store, r, ctx.mapper(), ctx.clock())))
                .orElse(JournalHook.NONE);
    }

    /**
     * How the engine of {@code launch}'s session opens its host. {@code heldUntilExit} is handed what
     * the session holds beyond its host (its host-wide slot): an owner process lets the kernel free it
     * when it exits, the daemon closes it when that one session's owner exits.
     */
    public static SessionHostFactory factory(EngineContext ctx, OwnerLaunch launch,
                                             Consumer<AutoCloseable> heldUntilExit, Consumer<String> fenced) {
        return journal -> open(ctx, launch, journal, heldUntilExit, fenced);
    }

    /**
     * @param fenced told the reason once the session lost its fleet slot and its record was closed: an
     *               owner process exits, the daemon stops that one session's owner
     */
    private static PersistentHost open(EngineContext ctx, OwnerLaunch launch, JournalHook journal,
                                       Consumer<AutoCloseable> heldUntilExit, Consumer<String> fenced) {
        Path acpxHome = launch.acpxHome();
        SessionStore store = new SessionStore(acpxHome, ctx.mapper(), ctx.clock());
        SessionRecord record = store.load(launch.recordId()).orElseThrow(() -> new AcpxException(ErrorKind.NO_SESSION,
                "session " + launch.recordId() + " no longer exists; create one with `acpx sessions new`"));
        if (record.closed()) {
            throw new AcpxException(ErrorKind.NO_SESSION, "session " + launch.recordId()
                    + " is closed; create a new one with `acpx sessions new`");
        }
        AcpxConfig config;
        try {
            config = new ConfigLoader(acpxHome.getParent(), ctx.mapper()).load(Path.of(record.cwd())).merged();
            dev.acpx.core.config.McpConfigFile mcp = null;
            if (launch.settings().mcpConfig() != null) {
                // the caller's --mcp-config, read again here so that no secret travels on a command line
                mcp = dev.acpx.core.config.McpConfigFile.load(Path.of(record.cwd()),
                        launch.settings().mcpConfig().toString(), ctx.mapper());
                config = config.withMcpServers(mcp.servers());
            }
            dev.acpx.core.config.OwnerMcpNote.of(mcp).write(acpxHome, launch.recordId(), ctx.mapper());
        } catch (RuntimeException e) {
            throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
        }
        if (config.maxConcurrentSessions() != null) {
            SlotPool pool = new SlotPool(acpxHome.resolve("slots"), config.maxConcurrentSessions(), ctx.clock(),
                    ctx.mapper());
            // Held until this session's owner exits; the kernel releases it if the process is killed.
            Slot slot = SlotHolding.acquireNow(pool, HolderInfo.ofCurrentProcess(record.acpxRecordId(),
                    record.agentCommand() + " in " + record.cwd(), ctx.clock().instant()));
            heldUntilExit.accept(slot);
        }
        FleetSlot fleetSlot = FleetHolding.pool(null, acpxHome.getParent(), ctx.environment(), ctx.mapper())
                .map(pool -> pool.acquireNow(FleetHolder.ofCurrentProcess(pool.options().hostName(),
                        record.acpxRecordId(), record.agentCommand(), record.cwd()), null))
                .orElse(null);

        if (launch.agentArgv().isEmpty()) {
            throw new AcpxException(ErrorKind.RUNTIME, "the queue owner of " + record.acpxRecordId()
                    + " was started without an agent command (an older acpx build?); run the prompt again");
        }
        // The caller's resolved agent, never a program named by the record (see OwnerLaunch).
        AgentRef agent = new AgentRef(null, record.agentCommand(), launch.agentArgv());
        // --no-fs / --no-terminal of the prompt that started this owner hold for its whole life.
        PersistentHost host = new PersistentHost(ctx, store, config, agent, record, launch.settings().access(), null,
                journal);
        ProcessIdentity.current().ifPresent(host::markOwnerProcess);
        if (fleetSlot != null) {
            // Given back when this session's owner ends (its process exits, or the daemon stops it),
            // only after the agent is gone (host.close is idempotent and bounded), so that no
            // newcomer's agent runs beside ours.
            heldUntilExit.accept(() -> {
                host.close("owner_terminated");
                fleetSlot.close();
            });
            // Fenced (docs/FLEET.md): the agent ends and the record closes with the reason, then this
            // owner leaves; a waiting prompt sees its owner gone, and the record says why.
            fleetSlot.onLost(reason -> {
                System.err.println("[acpx] " + reason + "; ending session " + record.acpxRecordId());
                host.closeRecord(reason);
                fenced.accept(reason);
            });
        }
        String closedMeanwhile = host.closedElsewhere();
        if (closedMeanwhile != null) {
            host.close("closed elsewhere: " + closedMeanwhile);
            throw new AcpxException(ErrorKind.NO_SESSION, "session " + record.acpxRecordId() + " was closed ("
                    + closedMeanwhile + "); create a new one with `acpx sessions new`");
        }
        return host;
    }
}
