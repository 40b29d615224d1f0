package dev.acpx.core.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.config.NonInteractivePermissions;
import dev.acpx.core.lifecycle.ProcessIdentity;
import dev.acpx.core.process.ExitStatus;
import dev.acpx.core.protocol.SessionConfigOption;
import dev.acpx.core.queue.HostStatus;
import dev.acpx.core.queue.SessionHost;
import dev.acpx.core.queue.TurnRequest;
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
    private final SessionStore store;
    private final AcpxConfig config;
    private final AgentRef agent;
    private final Object lock = new Object();
    private SessionRecord record;
    private AgentSession session;
    private String acpSessionId;
    private List<SessionConfigOption> configOptions = List.of();
    private volatile boolean closed;
    private boolean finished;

    public PersistentHost(EngineContext ctx, SessionStore store, AcpxConfig config, AgentRef agent,
                          SessionRecord record) {
        this.ctx = ctx;
        this.store = store;
        this.config = config;
        this.agent = agent;
        this.record = record;
    }

    /** Owner bookkeeping: the record names the live owner (pid and start time) while it serves. */
    public void markOwner(ProcessIdentity owner) {
        synchronized (lock) {
            record.setOwnerPid(owner.pid());
            record.setOwnerStartedAt(owner.startedAt());
            save();
        }
    }

    /** Once closed, only close() writes: a late turn or exit callback must not reopen the record. */
    private void save() {
        if (!closed) {
            write();
        }
    }

    private void write() {
        record.setUpdatedAt(ctx.clock().instant());
        store.save(record);
    }

    /** Ensures a live agent with the session open: spawn, then resume, load or new (SPEC §3). */
    private AgentSession connected(TurnListener observer, Duration timeout) {
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
            AgentSession s = AgentSession.start(ctx, agent, Path.of(record.cwd()),
                    new AuthSetup(config, ctx.environment(), false), observer, timeout);
            SessionOpening.Opened opened = SessionOpening.open(s, record, timeout);
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
            SessionOpening.reapply(s, acpSessionId, record.selections(), configOptions, timeout);
            return s;
        }
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

    @Override
    public TurnResult runTurn(TurnRequest request, TurnListener events) {
        Duration timeout = request.timeoutMillis() == null ? null : Duration.ofMillis(request.timeoutMillis());
        return runTurn(request.prompt(), policy(request), timeout, events);
    }

    /**
     * One turn with a host's own permission policy (an embedding JVM decides permissions itself;
     * the owner process derives them from the caller's mode). {@code timeout} null = no limit.
     */
    public TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events) {
        if (closed) {
            throw new AcpxException(ErrorKind.RUNTIME, "the session owner is closing; retry the prompt");
        }
        StringBuilder answer = new StringBuilder();
        TurnListener collecting = event -> {
            if (event instanceof TurnEvent.AgentText t) {
                answer.append(t.text());
            }
            events.onEvent(event);
        };
        // The same listener watches the setup and the turn, so the session can detach it at Done.
        AgentSession s = connected(collecting, timeout);
        synchronized (lock) {
            record.setLastPromptAt(ctx.clock().instant());
            record.appendTurn(HistoryEntry.Role.USER, prompt, ctx.clock().instant());
            save();
        }
        try {
            TurnResult result = s.prompt(acpSessionId, prompt, collecting, policy, timeout);
            return new TurnResult(result.stopReason(), result.permissionsGranted(), result.permissionsDenied(),
                    acpSessionId, record.acpxRecordId());
        } finally {
            synchronized (lock) {
                if (answer.length() > 0) {
                    record.appendTurn(HistoryEntry.Role.ASSISTANT, answer.toString(), ctx.clock().instant());
                }
                record.setLastUsedAt(ctx.clock().instant());
                if (!s.isAlive() && session == s) {
                    recordExit(s);
                }
                save();
            }
        }
    }

    private static PermissionPolicy policy(TurnRequest request) {
        PermissionPolicies.NonInteractive ni = request.nonInteractive() == NonInteractivePermissions.FAIL
                ? PermissionPolicies.NonInteractive.FAIL : PermissionPolicies.NonInteractive.DENY;
        // The owner has no terminal; a human cannot be asked from here.
        return PermissionPolicies.forMode(request.permissionMode().wireName(), null, ni);
    }

    @Override
    public boolean cancelCurrent() {
        AgentSession s = session;
        return s != null && acpSessionId != null && s.cancel(acpSessionId);
    }

    @Override
    public void setMode(String modeId) {
        AgentSession s = connected(null, null);
        s.call("session/set_mode", null, () -> {
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
        AgentSession s = connected(null, null);
        String summary = ConfigOptions.apply(s, acpSessionId, configOptions, key, value);
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

    @Override
    public void close(String reason) {
        closed = true;
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
            if (record.isOneShot()) {
                // One-shot work is never resumed: it ends closed, with when and why (SPEC §9.1).
                record.setClosed(true);
                record.setClosedAt(ctx.clock().instant());
                record.setClosedReason(reason);
                record.clearProcesses();
            }
            write();
        }
    }

    /** The record as this host last wrote it. */
    public SessionRecord record() {
        synchronized (lock) {
            return record.copy();
        }
    }

}
