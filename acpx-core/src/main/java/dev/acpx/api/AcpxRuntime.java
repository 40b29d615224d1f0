package dev.acpx.api;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The embeddable acpx runtime: built once per host, it resolves agents, reads the layered
 * configuration, and runs sessions. Closing it ends every agent process it started. The
 * implementation (acpx-core's) is found through {@link AcpxRuntimeProvider}.
 *
 * <pre>{@code
 * try (AcpxRuntime acpx = AcpxRuntime.builder().userHome(Path.of(System.getProperty("user.home"))).build()) {
 *     AgentRef agent = acpx.resolveAgent("demo", false, cwd);
 *     TurnResult r = acpx.exec(new ExecRequest(agent, cwd, "hello", PermissionPolicies.approveAll(),
 *             null, null, false), event -> System.out.println(event));
 * }
 * }</pre>
 */
public interface AcpxRuntime extends AutoCloseable {
    /** This build's version, reported to agents as clientInfo ({@link AcpxVersion#version()}). */
    String VERSION = AcpxVersion.version();

    /** How long {@link #interrupt()} gives queue owners to confirm their turns were cancelled. */
    Duration INTERRUPT_BUDGET = Duration.ofMillis(700);

    static Builder builder() {
        return new Builder();
    }

    /** The clock this runtime reads time from. */
    Clock clock();

    /** The merged configuration for {@code cwd}. Throws for a malformed file, naming it and the position. */
    Settings settings(Path cwd);

    /** The merged configuration for {@code cwd} as {@code config show} prints it (credentials masked). */
    String configJson(Path cwd);

    /**
     * Resolves an agent: with {@code raw} the text is a command line; otherwise a configured or
     * built-in name (or {@code demo}), and any other token is a raw command as in the Node acpx.
     */
    AgentRef resolveAgent(String nameOrCommand, boolean raw, Path cwd);

    /** Runs one one-shot turn (SPEC §9.1): whatever happens, the agent's tree is gone when this returns. */
    TurnResult exec(ExecRequest request, TurnListener listener);

    /**
     * {@code sessions new}: a fresh record for the scope; the open one it replaces is closed. As
     * in the Node acpx, the agent is started once to open the ACP session (and closed again), so
     * the record knows the agent's session id, capabilities and models; a failure leaves no record.
     *
     * @param timeout limit for the agent's start and session/new; null for none
     */
    SessionOpened newSession(AgentRef agent, Path cwd, String name, Duration timeout);

    /**
     * As {@link #newSession(AgentRef, Path, String, Duration)}, asking the agent for {@code options}
     * in {@code session/new}; they are kept in the record and asked again whenever a reconnect
     * has to start a new ACP session (SPEC-P2 §8).
     */
    SessionOpened newSession(AgentRef agent, Path cwd, String name, Duration timeout, SessionAgentOptions options);

    /**
     * As {@link #newSession(AgentRef, Path, String, Duration, SessionAgentOptions)}, adopting the agent's
     * existing session {@code resumeSessionId} ({@code session/resume}, else {@code session/load}) instead
     * of opening a new one when it is not null; an agent that offers neither, or refuses, fails the command.
     */
    SessionOpened newSession(AgentRef agent, Path cwd, String name, Duration timeout, SessionAgentOptions options,
                             String resumeSessionId);

    SessionOpened newSession(AgentRef agent, Path cwd, String name);

    /**
     * {@code sessions ensure}: the nearest open session of the scope, or a new one (also under
     * races), which is connected once like {@link #newSession}.
     */
    SessionOpened ensureSession(AgentRef agent, Path cwd, String name, Duration timeout);

    /** As {@link #ensureSession(AgentRef, Path, String, Duration)}; {@code options} apply when it creates. */
    SessionOpened ensureSession(AgentRef agent, Path cwd, String name, Duration timeout, SessionAgentOptions options);

    /** As above; a session it creates adopts the agent's session {@code resumeSessionId} when not null. */
    SessionOpened ensureSession(AgentRef agent, Path cwd, String name, Duration timeout, SessionAgentOptions options,
                                String resumeSessionId);

    SessionOpened ensureSession(AgentRef agent, Path cwd, String name);

    /**
     * {@code sessions list} asked of the agent ({@code session/list}); {@code filterCwd} absolute
     * or null. See {@link AgentSessionList} for the outcomes the caller falls back on. The agent
     * started to ask is ended in the background once it has answered; {@link #close()} waits for it.
     */
    AgentSessionList listAgentSessions(AgentRef agent, Path cwd, String cursor, String filterCwd, Duration timeout);

    /** Every record of {@code agent} (all agents when null), each with its measured state. */
    SessionList listSessions(AgentRef agentOrNull);

    /**
     * The journals of this home's persistent sessions: read a session's events after a cursor, or
     * follow them live, without touching its turns (what {@code sessions watch} does).
     */
    SessionEvents sessionEvents();

    /**
     * The record of {@code sessions read|watch}: exact cwd, agent command and name (closed ones
     * too), the open one first, else the most recently used; RUNTIME error with the Node acpx's words.
     */
    SessionInfo exactSession(AgentRef agent, Path cwd, String name, String agentLabel);

    /** {@code sessions export}: the archive (format_version 1) of the scope's session, as JSON text. */
    String exportSession(AgentRef agent, Path cwd, String name);

    /** {@code sessions import}: a new open record from an archive; {@code cwd} null = the archive's. */
    SessionInfo importSession(AgentRef agent, Path archive, String name, Path cwd);

    /** One record by name, id, or the scope's current one; closed ones too. */
    SessionInfo showSession(AgentRef agent, Path cwd, String nameOrId);

    /** The last {@code limit} turns of a session. */
    List<HistoryItem> history(AgentRef agent, Path cwd, String nameOrId, int limit);

    /** Soft-closes a session: its owner and agent tree stop, the record says closed, when and why. */
    SessionInfo closeSession(AgentRef agent, Path cwd, String nameOrId);

    /** As {@link #closeSession(AgentRef, Path, String)}, recording {@code reason} as why it closed. */
    default SessionInfo closeSession(AgentRef agent, Path cwd, String nameOrId, String reason) {
        return closeSession(agent, cwd, nameOrId);
    }

    /** Deletes closed records closed before {@code before} (all closed ones when null). */
    List<SessionInfo> prune(AgentRef agentOrNull, boolean dryRun, java.time.Instant before, boolean includeHistory);

    /** A prompt to the scope's open session through its queue owner; NO_SESSION (exit 4) when none. */
    TurnResult prompt(PromptRequest request, TurnListener listener);

    /** Cancels the running turn of the session; false when nothing runs. */
    boolean cancel(AgentRef agent, Path cwd, String name);

    StatusInfo status(AgentRef agent, Path cwd, String name);

    void setMode(AgentRef agent, Path cwd, String name, String modeId);

    /** {@code set KEY VALUE}; returns a one-line summary. */
    String setOption(AgentRef agent, Path cwd, String name, String key, String value);

    /**
     * Opens a session held by this JVM: takes a host-wide slot (waiting up to the options' or the
     * runtime's {@code slotWait}), then the session's record: a new one-shot record, or the scope's
     * open persistent one (created when there is none). The agent starts at the first prompt.
     *
     * @throws AcpxException RUNTIME naming the holders when no slot is free in time, or when
     *                       another handle or a queue owner holds the persistent session
     */
    Session open(SessionOptions options);

    /** The sessions this runtime holds open now, each with its {@link Session#status()}. */
    List<Session> sessions();

    /** The measured status of every session this runtime holds open. */
    List<SessionStatus> statuses();

    /** Host-wide session slots held right now by any process on this host (this JVM included). */
    int slotsInUse();

    /**
     * The fleet's live sessions on every host (docs/FLEET.md), in slot order; a usage error when no
     * fleet is configured (builder {@code fleet}, config {@code fleet}).
     */
    List<FleetSession> fleetSessions();

    /** Writes the config template to {@code ~/.acpx/config.json}; null when one already exists. */
    Path initConfig();

    /**
     * A signal arrived: every prompt of this runtime waiting on a queue owner has its turn
     * cancelled (up to {@link #INTERRUPT_BUDGET} for the owners to confirm, so Ctrl+C stays quick
     * even with a stuck owner), and every agent this runtime runs itself is ended, its tree gone
     * and its record closed with the reason, when this returns.
     */
    void interrupt();

    @Override
    void close();

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
        private String mcpConfig;
        private FleetOptions fleet;
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
         * Where warnings go: one line each, for a side effect that failed without failing the call
         * (a read-only command whose record clean-up could not be written on a full or read-only
         * disk). Default: {@code acpx: warning: <line>} on {@code System.err}.
         */
        public Builder warnings(java.util.function.Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Whether normal JVM exit closes this runtime (default true): its sessions end, one-shot
         * records close, and no agent process outlives the JVM.
         */
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

        /** The runtime, from the implementation on the class or module path ({@link AcpxRuntimeProvider}). */
        /**
         * {@code --mcp-config}: the MCP servers of every session come from this JSON file's
         * {@code mcpServers} (resolved against the session's cwd) instead of the config files'
         * (SPEC-P2 §7); null keeps the config files'.
         */
        public Builder mcpConfig(String path) {
            this.mcpConfig = path;
            return this;
        }

        /**
         * The fleet-wide limit (docs/FLEET.md) over {@code fleet} of {@code ~/.acpx/config.json}: every
         * session this runtime opens or runs also holds one of the fleet's slots on PostgreSQL.
         */
        public Builder fleet(FleetOptions fleet) {
            this.fleet = Objects.requireNonNull(fleet, "fleet");
            return this;
        }

        public AcpxRuntime build() {
            return AcpxRuntimeProvider.find().create(new RuntimeOptions(userHome, environment, clock, demoAgentArgv,
                    maxConcurrentSessions, slotWait, handshakeTimeout, shutdownHook, warnings, mcpConfig, fleet));
        }
    }
}
