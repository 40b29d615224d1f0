package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.TimeLimits;
import java.time.Duration;
import dev.acpx.api.ClientAccess;
import dev.acpx.api.PermissionMode;
import java.math.BigDecimal;
import picocli.CommandLine.Option;

/** The global options of SPEC §2, accepted before the agent and after the verb alike. */
public final class GlobalOptions {
    @Option(names = "--agent", paramLabel = "COMMAND", description = "Raw agent command line (shell-style quoting)")
    String agent;

    @Option(names = "--cwd", paramLabel = "DIR", description = "Working directory of the session")
    String cwd;

    @Option(names = "--approve-all", description = "Allow every permission request")
    boolean approveAll;

    @Option(names = "--approve-reads", description = "Allow reads, ask for the rest (default)")
    boolean approveReads;

    @Option(names = "--deny-all", description = "Deny every permission request")
    boolean denyAll;

    @Option(names = "--non-interactive-permissions", paramLabel = "deny|fail",
            description = "What approve-reads does without a TTY")
    String nonInteractivePermissions;

    @Option(names = "--format", paramLabel = "text|json|quiet", description = "Output format")
    String format;

    @Option(names = "--json-strict", description = "Only JSON lines on stdout, nothing on stderr (needs --format json)")
    boolean jsonStrict;

    @Option(names = "--suppress-reads", description = "Hide file contents read by the agent")
    boolean suppressReads;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Turn time limit (decimals allowed)")
    String timeout;

    @Option(names = "--ttl", paramLabel = "SECONDS", description = "Idle seconds before a queue owner exits (0 = forever)")
    String ttl;

    @Option(names = "--model", paramLabel = "ID", description = "Model to select for the session")
    String model;

    @Option(names = "--allowed-tools", paramLabel = "LIST", description = "Tools the agent may use (comma-separated)")
    String allowedTools;

    @Option(names = "--max-turns", paramLabel = "COUNT", description = "Maximum turns for the session")
    String maxTurns;

    @Option(names = "--system-prompt", paramLabel = "TEXT", description = "Replace the agent's system prompt")
    String systemPrompt;

    @Option(names = "--append-system-prompt", paramLabel = "TEXT", description = "Append to the agent's system prompt")
    String appendSystemPrompt;

    @Option(names = "--prompt-retries", paramLabel = "COUNT", description = "Retries of a transiently failed prompt")
    String promptRetries;

    @Option(names = "--mcp-config", paramLabel = "PATH", description = "MCP servers from this JSON file's mcpServers")
    String mcpConfig;

    @Option(names = "--auth-policy", paramLabel = "skip|fail", description = "What to do when auth is needed and missing")
    String authPolicy;

    @Option(names = "--verbose", description = "Show agent stderr and details of errors")
    boolean verbose;

    @Option(names = "--permission-policy", paramLabel = "FILE|JSON",
            description = "Permission rules (autoApprove, autoDeny, escalate, defaultAction) decided before the mode")
    String permissionPolicy;

    @Option(names = "--policy", paramLabel = "FILE|JSON", description = "Same as --permission-policy")
    String policy;

    @Option(names = "--no-fs", description = "Do not offer the agent file reads and writes")
    boolean noFs;

    @Option(names = "--no-terminal", description = "Do not offer the agent terminals")
    boolean noTerminal;

    /** The permission mode chosen by flags, or null to use the configured default. */
    PermissionMode permissionMode() {
        int chosen = (approveAll ? 1 : 0) + (approveReads ? 1 : 0) + (denyAll ? 1 : 0);
        if (chosen > 1) {
            throw AcpxException.usage("--approve-all, --approve-reads and --deny-all are mutually exclusive; pass one");
        }
        return approveAll ? PermissionMode.APPROVE_ALL : denyAll ? PermissionMode.DENY_ALL
                : approveReads ? PermissionMode.APPROVE_READS : null;
    }

    /** The policy flag's value (either spelling), or null; both with different values is a usage error. */
    String permissionPolicy() {
        if (permissionPolicy != null && policy != null && !permissionPolicy.equals(policy)) {
            throw AcpxException.usage("Use only one permission policy flag: --permission-policy or --policy");
        }
        return permissionPolicy != null ? permissionPolicy : policy;
    }

    /** What the agent is offered: {@code --no-fs} and {@code --no-terminal} take capabilities away. */
    ClientAccess access() {
        return new ClientAccess(!noFs, !noTerminal);
    }

    /** Checks the values picocli cannot: enumerations and numbers. */
    void validate() {
        permissionMode();
        permissionPolicy();
        oneOf("--format", format, "text", "json", "quiet");
        oneOf("--non-interactive-permissions", nonInteractivePermissions, "deny", "fail");
        oneOf("--auth-policy", authPolicy, "skip", "fail");
        timeout();
        ttl();
        SessionFlags.agentOptions(this);
        SessionFlags.promptRetries(this);
        if (jsonStrict && format != null && !format.equals("json")) {
            throw AcpxException.usage("--json-strict needs --format json");
        }
    }

    /** {@code --timeout} as a duration, or null when not given; a value out of range is a usage error. */
    Duration timeout() {
        return seconds("--timeout", timeout, false);
    }

    /** {@code --ttl} as a duration (zero = forever), or null when not given. */
    Duration ttl() {
        return seconds("--ttl", ttl, true);
    }

    private static Duration seconds(String flag, String value, boolean zeroAllowed) {
        if (value == null) {
            return null;
        }
        return TimeLimits.parseSeconds(value, zeroAllowed).orElseThrow(() -> AcpxException.usage(
                flag + " must be " + TimeLimits.range(zeroAllowed) + ", got '" + value + "'"));
    }

    private static void oneOf(String flag, String value, String... allowed) {
        if (value == null) {
            return;
        }
        for (String a : allowed) {
            if (a.equals(value)) {
                return;
            }
        }
        throw AcpxException.usage(flag + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }
}
