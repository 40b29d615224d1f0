package dev.acpx.core.queue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an owner process needs to know, as it travels on its command line: the acpx home, the
 * session, the owner settings and the argv of the agent to run, as the caller resolved it (never
 * read from the record: whoever can write a record file must not choose what acpx executes).
 * {@link #toArgs} and {@link #parse} are each other's inverse.
 */
public record OwnerLaunch(Path acpxHome, String recordId, OwnerSettings settings, List<String> agentArgv) {

    public OwnerLaunch {
        Objects.requireNonNull(acpxHome, "acpxHome");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(settings, "settings");
        agentArgv = List.copyOf(agentArgv);
    }

    /** A launch with no agent argv, for owners whose host needs none (tests with a scripted host). */
    public OwnerLaunch(Path acpxHome, String recordId, OwnerSettings settings) {
        this(acpxHome, recordId, settings, List.of());
    }

    /** The flag naming the session; also how a stuck owner is recognised by its command line. */
    static final String RECORD_ID_FLAG = "--record-id";

    /**
     * The flag (followed by the acpx home) on the command line of the per-user daemon, which hosts
     * the owners of many sessions: how a stuck daemon holding a session's owner lock is recognised.
     */
    public static final String DAEMON_FLAG = "--acpx-daemon";

    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("--acpx-home", acpxHome.toString(), RECORD_ID_FLAG, recordId,
                "--ttl-ms", Long.toString(settings.ttl().toMillis()),
                "--queue-max-depth", Integer.toString(settings.queueMaxDepth()),
                "--fs", Boolean.toString(settings.access().fileSystem()),
                "--terminal", Boolean.toString(settings.access().terminal())));
        if (settings.mcpConfig() != null) {
            args.add("--mcp-config");
            args.add(settings.mcpConfig().toString());
        }
        for (String a : agentArgv) {
            args.add("--agent-arg");
            args.add(a);
        }
        return args;
    }

    /** Parses {@link #toArgs()} output; a bad argument is an IllegalArgumentException naming it. */
    public static OwnerLaunch parse(String... args) {
        Path home = null;
        String record = null;
        long ttlMillis = OwnerSettings.DEFAULT_TTL.toMillis();
        int depth = OwnerSettings.DEFAULT_QUEUE_MAX_DEPTH;
        List<String> agentArgv = new ArrayList<>();
        boolean fs = true;
        boolean terminal = true;
        Path mcpConfig = null;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("queue owner option " + args[i] + " needs a value");
            }
            String value = args[i + 1];
            try {
                switch (args[i]) {
                    case "--acpx-home" -> home = Path.of(value);
                    case "--record-id" -> record = value;
                    case "--ttl-ms" -> ttlMillis = Long.parseLong(value);
                    case "--queue-max-depth" -> depth = Integer.parseInt(value);
                    case "--agent-arg" -> agentArgv.add(value);
                    case "--fs" -> fs = Boolean.parseBoolean(value);
                    case "--terminal" -> terminal = Boolean.parseBoolean(value);
                    case "--mcp-config" -> mcpConfig = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown queue owner option " + args[i]);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("queue owner option " + args[i] + " needs a number, got " + value);
            }
        }
        if (home == null || record == null) {
            throw new IllegalArgumentException("a queue owner needs --acpx-home and --record-id");
        }
        return new OwnerLaunch(home, record, OwnerSettings.of(depth, Duration.ofMillis(ttlMillis))
                .withAccess(new dev.acpx.api.ClientAccess(fs, terminal)).withMcpConfig(mcpConfig), agentArgv);
    }
}
