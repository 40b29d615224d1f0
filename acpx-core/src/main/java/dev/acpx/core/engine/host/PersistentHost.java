package dev.acpx.core.engine.host;

import dev.acpx.core.engine.HostStatus;
import dev.acpx.core.engine.JournalHook;
import dev.acpx.core.engine.SessionHost;
import dev.acpx.core.engine.agent.AgentSession;
import dev.acpx.core.engine.agent.AuthSetup;
import dev.acpx.core.engine.agent.ConfigOptions;
import dev.acpx.core.engine.agent.EngineContext;
import dev.acpx.core.engine.agent.SessionOpening;
import dev.acpx.core.engine.agent.Timed;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ClientAccess;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.lifecycle.ProcessIdentity;
import dev.acpx.core.process.ExitStatus;
import dev.acpx.core.protocol.SessionConfigOption;
import dev.acpx.core.queue.Deadline;
import dev.acpx.core.session.HistoryEntry;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A persistent session as its queue owner holds it: the agent kept warm between turns,
 * reconnected when it is gone, and the record kept true (pids, exit status, reason, history).
 */
public final class PersistentHost implements SessionHost {
    private final EngineContext ctx;
    private final AcpxConfig config;
    private final AgentRef agent;
    private final ClientAccess access;
    private final Duration handshakeTimeout;
    private final JournalHook journal;
    private final Object lock = new Object();
    private SessionRecord record;
    private AgentSession session;
    /**
     * The agent being started (spawned, handshake running under {@link #lock}), so that close()
     * can end it without that lock: an agent that never answers {@code initialize} would hold it.
     */
    private volatile AgentSession starting;
    private String acpSessionId;
    /** Set only while {@link #adopt} opens the session: the agent's session to take over. */
    private volatile String adoptSessionId;
    private List<SessionConfigOption> configOptions = List.of();
    private volatile boolean closed;
    private boolean finished;
    private final RecordSync sync;

    public PersistentHost(EngineContext ctx, SessionStore store, AcpxConfig config, AgentRef agent,
                          SessionRecord record) {
        this(ctx, store, config, agent, record, ClientAccess.FULL, null, JournalHook.NONE);
    }

    /**
     * @param access           the client capabilities offered to every agent this host starts
     * @param handshakeTimeout the limit of an agent's start (initialize to reconnect); null: the config's
     * @param journal          gets every ACP message of every agent this host starts
     */
    public PersistentHost(EngineContext ctx, SessionStore store, AcpxConfig config, AgentRef agent,
                          SessionRecord record, ClientAccess access, Duration handshakeTimeout, JournalHook journal) {
        this.access = access;
        this.journal = journal == null ? JournalHook.NONE : journal;
        this.ctx = ctx;
        this.config = config;
        this.agent = agent;
        this.record = record;
        this.handshakeTimeout = handshakeTimeout != null ? handshakeTimeout : config.handshakeTimeout();
        this.sync = new RecordSync(store, record);
    }

    /** Owner bookkeeping: the record names the live owner (pid and start time) while it serves. */
    public void markOwner(ProcessIdentity owner) {
        synchronized (lock) {
            record.setOwnerPid(owner.pid());
            record.setOwnerStartedAt(owner.startedAt());
            save();
        }
    }

    /**
     * As {@link #markOwner}, for a queue owner process or the daemon: the record stops naming an
     * embedding JVM as its kind of owner (left by a host that held the session before), so that
     * {@code sessions close} signals this owner as it should.
     */
    public void markOwnerProcess(ProcessIdentity owner) {
        synchronized (lock) {
            record.json().remove(dev.acpx.core.session.OwnerKind.KEY);
        }
        markOwner(owner);
    }

    /** Once closed, only close() writes: a late turn or exit callback must not reopen the record. */
    private void save() {
        if (!closed) {
            write();
        }
    }

    /** Writes this host's changes, merged onto the record as it is on disk now ({@link RecordSync}). */
    private void write() {
        record.setUpdatedAt(ctx.clock().instant());
        record = sync.write(record, finished);
    }

    /**
     * Why the record was closed (or deleted) by someone else, or null: a CLI {@code sessions close}
     * of a session this host holds. Read from disk when no write of this host has seen it yet, so a
     * holder sees the close at the latest at its next use.
     */
    public String closedElsewhere() {
        return sync.closedElsewhere(record, closed);
    }

    /** A use of a session closed elsewhere: the agent is ended (the close request) and the caller told. */
    private void refuseIfClosedElsewhere() {
        String why = closedElsewhere();
        if (why != null) {
            close("closed elsewhere: " + why);
            throw new AcpxException(ErrorKind.NO_SESSION, "session " + record.acpxRecordId() + " was closed ("
                    + why + "); open a new one");
        }
    }

    /**
     * Ensures a live agent with the session open: spawn, then resume, load or new (SPEC §3), all
     * within the handshake limit (and the turn's, when that is shorter).
     */
    private AgentSession connected(TurnListener observer, Duration turnTimeout) {
        synchronized (lock) {
            if (closed) {
                // close() ran while this caller waited for the lock: starting an agent now would leak it
                throw new AcpxException(ErrorKind.RUNTIME, "the session is closed; open a new one");
            }
            if (session != null && session.isAlive()) {
                session.observe(observer);
                return session;
            }
            if (session != null) {
                recordExit(session);
            }
            Deadline deadline = Deadline.earliest(handshakeTimeout, turnTimeout);
            AuthSetup auth = new AuthSetup(config, ctx.environment(), false);
            AgentSession s = AgentSession.spawn(ctx, agent, Path.of(record.cwd()), auth, observer, access, journal);
            starting = s;
            try {
                if (closed) {
                    // close() may have looked at `starting` just before we set it: end the agent ourselves
                    throw new AcpxException(ErrorKind.RUNTIME, "the session was closed while its agent started");
                }
                return handshake(s, auth, deadline);
            } catch (RuntimeException e) {
                s.close(closed ? "closed" : "initialize_failed");
                if (closed) {
                    throw new AcpxException(ErrorKind.RUNTIME, "the session was closed while its agent was starting;"
                            + " open it again", null, e);
                }
                throw handshakeFailure(e, turnTimeout);
            } finally {
                starting = null;
            }
        }
    }

    /** A handshake timeout names the limit that passed and what to do about it. */
    private AcpxException handshakeFailure(RuntimeException e, Duration turnTimeout) {
        if (!(e instanceof AcpxException a) || a.kind() != ErrorKind.TIMEOUT) {
            return e instanceof AcpxException a ? a : new AcpxException(ErrorKind.RUNTIME, e.toString(), null, e);
        }
        boolean turnLimit = turnTimeout != null && (handshakeTimeout == null || turnTimeout.compareTo(handshakeTimeout) < 0);
        String limit = turnLimit ? "the turn's timeout of " + Timed.seconds(turnTimeout)
                : "handshakeTimeout (" + Timed.seconds(handshakeTimeout) + ")";
        return new AcpxException(ErrorKind.TIMEOUT, "the agent '" + agent.command() + "' did not finish starting within "
                + limit + ": " + a.getMessage() + "; check that it runs and is logged in"
                + (turnLimit ? "" : ", or raise handshakeTimeout in the config"), a.detail(), a);
    }

    /** Runs under {@link #lock}: initialize, then open the record's session on the agent. */
    private AgentSession handshake(AgentSession s, AuthSetup auth, Deadline deadline) {
        s.handshake(auth, deadline.remaining());
        var mcp = dev.acpx.core.options.McpServers.toProtocol(config.mcpServers());
        SessionOpening.Opened opened = adoptSessionId != null
                ? SessionOpening.adopt(s, agent.command(), adoptSessionId, record.cwd(), deadline, mcp)
                : SessionOpening.open(s, record, deadline, mcp,
                        dev.acpx.core.options.SessionMeta.forAgent(
                                dev.acpx.core.options.SessionMeta.fromRecord(record.selections().sessionOptions()),
                                agent.argv(), ctx.environment()));
        acpSessionId = opened.sessionId();
        configOptions = opened.configOptions();
        session = s;
        ProcessIdentity id = ProcessIdentity.of(s.process().pid()).orElse(null);
        record.setAcpSessionId(acpSessionId);
        record.setPid(s.process().pid());
        record.setAgentStartedAt(s.startedAt());
        record.setAgentPidStartedAt(id == null ? null : id.startedAt());
        record.setProtocolVersion(s.initialized().protocolVersion());
        record.setAgentCapabilities(ctx.mapper().valueToTree(s.initialized().agentCapabilities()));
        rememberOptions(opened.currentModeId());
        record.setLastUsedAt(ctx.clock().instant());
        save();
        s.process().onExit().thenAccept(status -> agentGone(s));
        SessionOpening.reapply(s, acpSessionId, record.selections(), configOptions, deadline);
        save(); // the choices the agent took again (the model of sessions new --model among them)
        return s;
    }

    private void rememberOptions(String currentModeId) {
        if (currentModeId != null) {
            record.selections().setCurrentModeId(currentModeId);
        }
        if (configOptions != null && !configOptions.isEmpty()) {
            ArrayNode options = (ArrayNode) ctx.mapper().valueToTree(configOptions);
            record.selections().setConfigOptions(options);
            record.selections().rememberModelOption(options);
        }
    }

    /**
     * Connects (spawn, initialize, session/new or reconnect) and records what the agent reported,
     * as the Node acpx does for {@code sessions new}; the caller closes the host afterwards.
     */
    public void open(Duration timeout) {
        connected(null, timeout);
    }

    /** As {@link #open}, adopting the agent's existing session {@code acpSessionId} (--resume-session). */
    public void adopt(String acpSessionId, Duration timeout) {
        adoptSessionId = acpSessionId;
        try {
            connected(null, timeout);
        } finally {
            adoptSessionId = null;
        }
    }

    /** The agent exited (crash, or our own close): record the truth at once. */
    private void agentGone(AgentSession s) {
        synchronized (lock) {
            // After close() the record is its closer's to write (close() recorded the exit already).
            if (session == s && !closed) {
                recordExit(s);
                save();
            }
        }
    }

    private void recordExit(AgentSession s) {
        ExitStatus status = s.exitStatus();
        record.setLastAgentExitCode(status == null ? null : status.code());
        record.setLastAgentExitSignal(status == null ? null : status.signal());
        record.setLastAgentExitAt(ctx.clock().instant());
        record.setLastAgentDisconnectReason(s.disconnectReason() == null ? "process_exit" : s.disconnectReason());
        record.setPid(null);
        record.setAgentPidStartedAt(null);
    }

    /**
     * One turn with its permission policy (an embedding JVM decides permissions itself; the owner
     * process derives them from the caller's mode). {@code timeout} null = no limit.
     */
    @Override
    public TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events) {
        return runTurn(prompt, policy, timeout, events, 0);
    }

    /** As above; a transiently failed prompt is sent again up to {@code retries} times (SPEC-P2 §8). */
    @Override
    public TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events,
                              int retries) {
        if (closed) {
            throw new AcpxException(ErrorKind.RUNTIME, "the session owner is closing; retry the prompt");
        }
        refuseIfClosedElsewhere();
        AnswerCollector collecting = new AnswerCollector(events);
        // The same listener watches the setup and the turn, so the session can detach it at Done.
        AgentSession s = connected(collecting, timeout);
        synchronized (lock) {
            record.setLastPromptAt(ctx.clock().instant());
            record.appendTurn(HistoryEntry.Role.USER, prompt, ctx.clock().instant());
            save();
        }
        try {
            TurnResult result = PromptRetries.run(retries, collecting,
                    l -> s.prompt(acpSessionId, prompt, l, policy, timeout));
            return new TurnResult(result.stopReason(), result.permissionsGranted(), result.permissionsDenied(),
                    acpSessionId, record.acpxRecordId());
        } finally {
            synchronized (lock) {
                String answer = collecting.answer();
                if (!answer.isEmpty()) {
                    record.appendTurn(HistoryEntry.Role.ASSISTANT, answer, ctx.clock().instant());
                }
                record.setLastUsedAt(ctx.clock().instant());
                collecting.signals().applyTo(record);
                if (!s.isAlive() && session == s) {
                    recordExit(s);
                }
                save();
            }
        }
    }

    @Override
    public boolean cancelCurrent() {
        AgentSession s = session;
        return s != null && acpSessionId != null && s.cancel(acpSessionId);
    }

    @Override
    public void setMode(String modeId) {
        refuseIfClosedElsewhere();
        AgentSession s = connected(null, null);
        s.call("session/set_mode", handshakeTimeout, () -> {
            s.connection().setMode(acpSessionId, modeId);
            return null;
        });
        synchronized (lock) {
            record.selections().setDesiredModeId(modeId);
            record.selections().setCurrentModeId(modeId);
            save();
        }
    }

    @Override
    public String setConfigOption(String key, String value) {
        refuseIfClosedElsewhere();
        AgentSession s = connected(null, null);
        String summary = ConfigOptions.apply(s, acpSessionId, configOptions, key, value, handshakeTimeout);
        synchronized (lock) {
            record.selections().putDesiredConfigOption(key, value);
            record.selections().setOptionValue(key, value);
            if ("model".equals(key)) {
                record.selections().setCurrentModelId(value);
                record.selections().setSessionOptionModel(value);
            }
            save();
        }
        return summary;
    }

    @Override
    public HostStatus status() {
        AgentSession s = session;
        Long pid = s != null && s.isAlive() ? s.process().pid() : null;
        return new HostStatus(pid, record.agentCommand(), record.cwd(), acpSessionId, record.agentSessionId(),
                record.selections().currentModeId());
    }

    /**
     * Ends the agent (a starting one too, without waiting for its handshake), then writes the
     * record. Bounded: the agent is killed before the lock is taken, so whoever holds the lock
     * (a handshake, a turn's bookkeeping) fails fast and lets go.
     */
    @Override
    public void close(String reason) {
        close(reason, false);
    }

    /**
     * Ends the session for good: as {@link #close(String)}, and the record is closed with the
     * reason even when persistent (a fenced fleet holder, docs/FLEET.md: its slot may be someone
     * else's now, so nothing may resume it behind the fleet's back).
     */
    public void closeRecord(String reason) {
        close(reason, true);
    }

    private void close(String reason, boolean closeRecord) {
        closed = true;
        AgentSession start = starting;
        if (start != null) {
            start.close(reason);
        }
        AgentSession current = session;
        if (current != null) {
            current.close(reason); // idempotent; repeated below under the lock for the record
        }
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            if (session != null) {
                session.close(reason);
                recordExit(session);
                record.setLastAgentDisconnectReason(reason);
            }
            record.setOwnerPid(null);
            record.setOwnerStartedAt(null);
            if (record.isOneShot() || closeRecord) {
                // One-shot work is never resumed: it ends closed, with when and why (SPEC §9.1).
                record.setClosed(true);
                record.setClosedAt(ctx.clock().instant());
                record.setClosedReason(reason);
                record.clearProcesses();
            }
            write();
        }
        journal.close();
    }

    /** The record as this host last wrote it. */
    public SessionRecord record() {
        synchronized (lock) {
            return record.copy();
        }
    }

}
