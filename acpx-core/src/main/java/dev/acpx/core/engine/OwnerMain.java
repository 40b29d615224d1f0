package dev.acpx.core.engine;

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
import java.nio.file.Path;
import java.time.Clock;

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
        int code = OwnerProcess.run(args, launch -> () -> open(ctx, launch), mapper, clock, System.err);
        supervisor.close();
        System.exit(code);
    }

    private static PersistentHost open(EngineContext ctx, OwnerLaunch launch) {
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
        } catch (RuntimeException e) {
            throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
        }
        if (config.maxConcurrentSessions() != null) {
            SlotPool pool = new SlotPool(acpxHome.resolve("slots"), config.maxConcurrentSessions(), ctx.clock(),
                    ctx.mapper());
            // Held until this process exits; the kernel releases it if the process is killed.
            Slot slot = SlotHolding.acquireNow(pool, HolderInfo.ofCurrentProcess(record.acpxRecordId(),
                    record.agentCommand() + " in " + record.cwd(), ctx.clock().instant()));
            Runtime.getRuntime().addShutdownHook(new Thread(slot::close));
        }
        if (launch.agentArgv().isEmpty()) {
            throw new AcpxException(ErrorKind.RUNTIME, "the queue owner of " + record.acpxRecordId()
                    + " was started without an agent command (an older acpx build?); run the prompt again");
        }
        // The caller's resolved agent, never a program named by the record (see OwnerLaunch).
        AgentRef agent = new AgentRef(null, record.agentCommand(), launch.agentArgv());
        // --no-fs / --no-terminal of the prompt that started this owner hold for its whole life.
        PersistentHost host = new PersistentHost(ctx, store, config, agent, record, launch.settings().access(), null);
        ProcessIdentity.current().ifPresent(host::markOwner);
        host.journalTo(dev.acpx.core.journal.JournalWriter.open(store, record, ctx.mapper(), ctx.clock()));
        String closedMeanwhile = host.closedElsewhere();
        if (closedMeanwhile != null) {
            host.close("closed elsewhere: " + closedMeanwhile);
            throw new AcpxException(ErrorKind.NO_SESSION, "session " + record.acpxRecordId() + " was closed ("
                    + closedMeanwhile + "); create a new one with `acpx sessions new`");
        }
        return host;
    }
}
