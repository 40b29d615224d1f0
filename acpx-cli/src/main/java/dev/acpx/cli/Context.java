package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.CommandLineCall;
import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionMode;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.PermissionRules;
import dev.acpx.api.PermissionSettings;
import dev.acpx.api.Settings;
import dev.acpx.cli.output.Renderer;
import dev.acpx.cli.output.Renderers;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What one CLI invocation works with: its streams, environment, the agent token from the
 * command line, and (built on first use) the runtime and the merged settings.
 */
final class Context {
    final InputStream stdin;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    final String agentToken;
    private AcpxRuntime runtime;
    /**
     * Set by a command whose runtime, once it has answered, holds nothing the caller could see but
     * an agent being ended ({@code sessions list} asking the agent): the daemon answers first.
     */
    volatile boolean closeAfterAnswer;
    private Settings settings;
    private Renderer renderer;
    private TerminalAsker asker;
    private com.fasterxml.jackson.databind.ObjectMapper mapper;
    /** {@code --mcp-config}, set before the runtime is first built (SPEC-P2 §7). */
    String mcpConfig;

    /** Where this command runs for its caller: cwd, terminal, signals (a process of its own or the daemon). */
    final CommandLineCall call;

    Context(CommandLineCall call, String agentToken) {
        this.call = call;
        this.stdin = call.stdin();
        this.out = call.stdout();
        this.err = call.stderr();
        this.env = call.environment();
        this.agentToken = agentToken;
    }

    /** This invocation's JSON mapper (none is static: house style 4). */
    synchronized com.fasterxml.jackson.databind.ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        }
        return mapper;
    }

    /** The agent as the Node acpx names it in banners and messages: its name, else the raw command. */
    static String agentLabel(dev.acpx.api.AgentRef agent) {
        return agent.name() != null ? agent.name() : agent.command();
    }

    Path userHome() {
        String home = env.get("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home);
    }

    synchronized AcpxRuntime runtime() {
        if (runtime == null) {
            runtime = AcpxRuntime.builder().userHome(userHome()).environment(env).mcpConfig(mcpConfig)
                    .warnings(message -> err.println("acpx: warning: " + message)).build();
        }
        return runtime;
    }

    synchronized AcpxRuntime runtimeIfStarted() {
        return runtime;
    }

    /** What a verb prints when interrupted, after the runtime ended its agents (compare's rows so far); or null. */
    private volatile Runnable interruptOutput;

    void onInterrupt(Runnable output) {
        interruptOutput = output;
    }

    Runnable interruptOutput() {
        return interruptOutput;
    }

    Path cwd(GlobalOptions g) {
        Path base = call.cwd();
        if (g.cwd == null) {
            return base;
        }
        Path dir = base.resolve(g.cwd).normalize();
        if (!Files.isDirectory(dir)) {
            throw AcpxException.usage("--cwd " + g.cwd + " is not a directory");
        }
        return dir;
    }

    Settings settings(GlobalOptions g) {
        if (settings == null) {
            settings = runtime().settings(cwd(g));
        }
        return settings;
    }

    String format(GlobalOptions g) {
        if (g.format != null) {
            return g.format;
        }
        try {
            return settings(g).format();
        } catch (AcpxException e) {
            return "text";
        }
    }

    /** The renderer for this invocation; before the config is readable, the flags alone decide. */
    Renderer renderer(GlobalOptions g) {
        if (renderer == null) {
            String format = format(g);
            if (g.jsonStrict && !format.equals("json")) {
                throw AcpxException.usage("--json-strict needs --format json");
            }
            renderer = Renderers.create(format, g.jsonStrict, g.suppressReads, g.verbose, null, out, err);
        }
        return renderer;
    }

    Renderer fallbackRenderer(GlobalOptions g) {
        if (renderer != null) {
            return renderer;
        }
        String format = g != null && g.format != null ? g.format : "text";
        return Renderers.create(format, g != null && g.jsonStrict, false, g != null && g.verbose, null, out, err);
    }

    AgentRef agent(GlobalOptions g) {
        if (g.agent != null && agentToken != null) {
            throw AcpxException.usage("pass the agent either as a name (" + agentToken + ") or with --agent, not both");
        }
        Path cwd = cwd(g);
        if (g.agent != null) {
            return runtime().resolveAgent(g.agent, true, cwd);
        }
        String name = agentToken != null ? agentToken : settings(g).defaultAgent();
        return runtime().resolveAgent(name, false, cwd);
    }

    /** Mode, non-interactive behaviour and policy rules: flags over the merged config. */
    PermissionSettings permissionSettings(GlobalOptions g) {
        Settings s = settings(g);
        PermissionMode mode = g.permissionMode();
        if (mode == null) {
            mode = PermissionMode.fromWire(s.defaultPermissions()).orElse(PermissionMode.APPROVE_READS);
        }
        String nonInteractive = g.nonInteractivePermissions != null ? g.nonInteractivePermissions
                : s.nonInteractivePermissions();
        String policy = g.permissionPolicy();
        PermissionRules rules = policy == null ? null : PermissionRules.parse(policy, cwd(g));
        return new PermissionSettings(mode, NonInteractivePermissions.fromWire(nonInteractive)
                .orElse(NonInteractivePermissions.DENY), rules);
    }

    /** The person at this terminal, or null when stdin or stderr is not a terminal (nobody to ask). */
    PermissionPolicies.Prompter asker() {
        if (asker == null && call.stdinIsTerminal() && call.stderrIsTerminal()) {
            asker = new TerminalAsker(stdin, err);
        }
        return asker;
    }

    /** The policy of an {@code exec}: the settings, asking on this terminal when there is one. */
    PermissionPolicy permissions(GlobalOptions g) {
        return permissionSettings(g).policy(asker());
    }

    Duration timeout(GlobalOptions g) {
        if (g.timeout != null) {
            return g.timeout();
        }
        var t = settings(g).timeoutSeconds();
        return t == null ? null : toDuration(t);
    }

    /** The queue owner's idle time: {@code --ttl}, else config {@code ttl}; zero means forever. */
    Duration ttl(GlobalOptions g) {
        if (g.ttl != null) {
            return g.ttl();
        }
        return toDuration(settings(g).ttlSeconds());
    }

    boolean authFail(GlobalOptions g) {
        String policy = g.authPolicy != null ? g.authPolicy : settings(g).authPolicy();
        return "fail".equals(policy);
    }

    private static Duration toDuration(java.math.BigDecimal seconds) {
        // The config parser already checked the range and kept whole milliseconds.
        return Duration.ofMillis(seconds.movePointRight(3).longValueExact());
    }

    boolean stdinIsTty() {
        return call.stdinIsTerminal();
    }
}
