package dev.acpx.core.engine.embedded;

import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.journal.EngineJournal;
import dev.acpx.core.journal.JournalWriter;
import dev.acpx.core.engine.agent.EngineContext;
import dev.acpx.core.engine.host.PersistentHost;
import dev.acpx.core.lifecycle.SlotHolding;
import dev.acpx.core.fleet.FleetHolder;
import dev.acpx.core.fleet.FleetPool;
import dev.acpx.core.fleet.FleetSlot;
import dev.acpx.core.session.SessionService;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ClientAccess;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.SessionInfo;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.lifecycle.HolderInfo;
import dev.acpx.core.lifecycle.HostFileLock;
import dev.acpx.core.lifecycle.Slot;
import dev.acpx.core.lifecycle.SlotPool;
import dev.acpx.core.queue.QueuePaths;
import dev.acpx.core.session.OwnerKind;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The sessions one embedding runtime holds (SPEC §10): opening takes a host-wide slot first (so a
 * full host fails or waits before anything starts), then the session's record and owner lock.
 * {@link #closeAll} ends them all at once, in parallel, so a runtime with many sessions closes fast.
 */
public final class EmbeddedSessions {
    private final EngineContext ctx;
    private final Path acpxHome;
    private final SessionService sessions;
    private final QueuePaths paths;
    private final Set<EmbeddedSession> open = ConcurrentHashMap.newKeySet();
    private boolean closed;

    public EmbeddedSessions(EngineContext ctx, Path acpxHome, SessionService sessions) {
        this.ctx = ctx;
        this.acpxHome = acpxHome;
        this.sessions = sessions;
        this.paths = new QueuePaths(acpxHome);
    }

    /**
     * What to open; {@code maxConcurrentSessions} null means no host-wide limit, {@code handshakeTimeout}
     * null the config's.
     */
    public record OpenRequest(AgentRef agent, Path cwd, boolean oneShot, String name, Integer maxConcurrentSessions,
                              Duration slotWait, ClientAccess access, Duration handshakeTimeout,
                              dev.acpx.api.SessionAgentOptions agentOptions) {}

    /** How long {@link #closeAll} waits for the sessions; each close is bounded, this bounds them all. */
    private static final Duration CLOSE_ALL_WAIT = Duration.ofSeconds(20);

    /** Opens a session; {@code onClosed} runs once it has closed, whoever closed it. */
    public EmbeddedSession open(OpenRequest request, AcpxConfig config, Consumer<EmbeddedSession> onClosed) {
        return open(request, config, null, onClosed);
    }

    /**
     * As above, the session also holding a slot of {@code fleet} (null: none) while open; losing
     * that slot closes the session with the reason (docs/FLEET.md).
     */
    public EmbeddedSession open(OpenRequest request, AcpxConfig config, FleetPool fleet,
                                Consumer<EmbeddedSession> onClosed) {
        synchronized (this) {
            if (closed) {
                throw new AcpxException(ErrorKind.INTERRUPTED, "the runtime is closed; build a new one");
            }
        }
        Slot slot = null;
        FleetSlot fleetSlot = null;
        HostFileLock ownerLock = null;
        try {
            String slotId = UUID.randomUUID().toString();
            if (request.maxConcurrentSessions() != null) {
                SlotPool pool = new SlotPool(slotsDir(), request.maxConcurrentSessions(), ctx.clock(), ctx.mapper());
                slot = SlotHolding.acquire(pool, HolderInfo.ofCurrentProcess(slotId, "embedded "
                        + (request.oneShot() ? "one-shot " : "") + request.agent().command() + " in " + request.cwd(),
                        ctx.clock().instant()), request.slotWait());
            }
            SessionRecord record = request.oneShot() ? newOneShot(request) : persistent(request);
            if (fleet != null) {
                fleetSlot = fleet.acquireNow(FleetHolder.ofCurrentProcess(fleet.options().hostName(),
                        record.acpxRecordId(), request.agent().command(), request.cwd().toString()), null);
            }
            paths.ensureDirectory();
            Optional<HostFileLock> lock = HostFileLock.tryLock(paths.ownerLock(record.acpxRecordId()));
            if (lock.isEmpty()) {
                throw new AcpxException(ErrorKind.RUNTIME, "session " + record.acpxRecordId() + " ("
                        + request.agent().command() + " in " + request.cwd() + ") is already held by another"
                        + " session handle or queue owner; close that one, or open another name");
            }
            ownerLock = lock.get();
            OwnerKind.markEmbedded(record);
            if (request.agentOptions() != null && !request.agentOptions().isEmpty()) {
                // saved with the host's first write; asked in every session/new of this record from now on
                record.selections().setSessionOptions(dev.acpx.core.options.SessionMeta.toRecord(
                        dev.acpx.core.options.SessionMeta.merge(request.agentOptions(),
                                dev.acpx.core.options.SessionMeta.fromRecord(record.selections().sessionOptions()))));
            }
            JournalHook journal = journalFor(record);
            PersistentHost host = new PersistentHost(ctx, sessions.store(), config, request.agent(), record,
                    request.access(), request.handshakeTimeout(), journal);
            EmbeddedSession[] self = new EmbeddedSession[1];
            FleetSlot heldFleetSlot = fleetSlot;
            EmbeddedSession session = new EmbeddedSession(host, record, ownerLock, slot,
                    () -> {
                        if (heldFleetSlot != null) {
                            heldFleetSlot.close();
                        }
                        open.remove(self[0]);
                        onClosed.accept(self[0]);
                    }, journal, ctx.clock(),
                    record.isOneShot() ? null : new EmbeddedSession.Sharing(paths, ctx.mapper(), request.access()));
            self[0] = session;
            if (fleetSlot != null) {
                fleetSlot.onLost(session::close);
            }
            synchronized (this) {
                if (!closed) {
                    open.add(session);
                    return session;
                }
            }
            session.close("runtime_closed");
            throw new AcpxException(ErrorKind.INTERRUPTED, "the runtime closed while the session opened");
        } catch (RuntimeException e) {
            if (fleetSlot != null) {
                fleetSlot.close();
            }
            if (ownerLock != null) {
                ownerLock.close();
            }
            if (slot != null) {
                slot.close();
            }
            throw e;
        }
    }

    /**
     * The journal of an embedded session's engine: a persistent session is journaled as its queue
     * owner would journal it (so {@code sessions watch} follows it); one-shot work is not (as exec).
     */
    private JournalHook journalFor(SessionRecord record) {
        return record.isOneShot() ? JournalHook.NONE
                : EngineJournal.of(JournalWriter.open(sessions.store(), record, ctx.mapper(), ctx.clock()));
    }

    private SessionRecord newOneShot(OpenRequest request) {
        SessionRecord record = SessionRecord.create(UUID.randomUUID().toString(),
                new SessionScope(request.agent().command(), request.cwd(), null), SessionRecord.MODE_ONESHOT,
                ctx.clock().instant());
        // Saved by the host's first write (markOwner), already naming this JVM as its live owner, so
        // no listing in between can take it for stale one-shot work.
        return record;
    }

    private SessionRecord persistent(OpenRequest request) {
        SessionInfo info = sessions.ensure(request.agent(), request.cwd(), request.name()).session();
        return sessions.store().load(info.recordId()).orElseThrow(() -> new AcpxException(ErrorKind.NO_SESSION,
                "session " + info.recordId() + " vanished while opening (pruned meanwhile?); open it again"));
    }

    private Path slotsDir() {
        return acpxHome.resolve("slots");
    }

    /** Host-wide slots held right now, by any process (this JVM included). */
    public int slotsInUse() {
        return new SlotPool(slotsDir(), 1, ctx.clock(), ctx.mapper()).liveHolders().size();
    }

    public List<EmbeddedSession> open() {
        return new ArrayList<>(open);
    }

    /**
     * Ends every open session in parallel (a starting agent too, without waiting for its handshake);
     * returns when all agent trees are gone and records written, or after a bounded wait.
     */
    public void closeAll(String reason, boolean forever) {
        synchronized (this) {
            closed |= forever;
        }
        List<EmbeddedSession> all = open();
        CountDownLatch done = new CountDownLatch(all.size());
        for (EmbeddedSession s : all) {
            // Platform threads: closing runs kill(1), reads /proc and writes records.
            Thread.ofPlatform().daemon().name("acpx-close-" + s.recordId()).start(() -> {
                try {
                    s.close(reason);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            done.await(CLOSE_ALL_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
