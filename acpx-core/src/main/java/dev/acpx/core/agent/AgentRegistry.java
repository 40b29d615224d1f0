package dev.acpx.core.agent;

import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.config.AgentDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Agent names to launch commands: the Node acpx 0.19.1 built-in registry (same names, same argv,
 * same aliases), our {@code demo} agent, and config {@code agents} on top. Any other token is a
 * raw command line, as in the Node acpx.
 */
public final class AgentRegistry {
    /** Package-version ranges the Node acpx 0.19.1 pins for its npx-launched adapters. */
    private static final String PI_RANGE = "^0.0.33";
    private static final String CODEX_RANGE = "^1.1.5";
    private static final String CLAUDE_RANGE = "^0.76.0";
    private static final String MUX_RANGE = "^0.28.0";

    /** The Linux launch argv of each built-in, in the Node acpx's order. */
    private static final Map<String, List<String>> BUILT_INS = builtIns();

    /** Alternative spellings the Node acpx accepts for built-ins. */
    private static final Map<String, String> ALIASES = Map.of(
            "factory-droid", "droid",
            "factorydroid", "droid");

    /** Our offline scripted agent. */
    public static final String DEMO = "demo";

    private final Function<String, List<String>> commandLineSplitter;

    /**
     * @param commandLineSplitter splits a command line shell-style into argv (quotes, backslash
     *                            escapes), used for raw commands and config {@code {"command"}} entries
     */
    public AgentRegistry(Function<String, List<String>> commandLineSplitter) {
        this.commandLineSplitter = Objects.requireNonNull(commandLineSplitter, "commandLineSplitter");
    }

    private static Map<String, List<String>> builtIns() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("pi", List.of("npx", "pi-acp@" + PI_RANGE));
        m.put("openclaw", List.of("openclaw", "acp"));
        m.put("codex", List.of("npx", "-y", "@agentclientprotocol/codex-acp@" + CODEX_RANGE));
        m.put("claude", List.of("npx", "-y", "@agentclientprotocol/claude-agent-acp@" + CLAUDE_RANGE));
        m.put("gemini", List.of("gemini", "--acp"));
        m.put("cursor", List.of("cursor-agent", "acp"));
        m.put("copilot", List.of("copilot", "--acp", "--stdio"));
        // Node picks this argv by platform; "--uid=" is its Linux form (we run on Linux/Unix).
        m.put("antigravity", List.of("agy_acp_server.par", "--uid="));
        m.put("devin", List.of("devin", "acp"));
        m.put("droid", List.of("droid", "exec", "--output-format", "acp"));
        m.put("fast-agent", List.of("uvx", "fast-agent-mcp", "acp"));
        m.put("fx", List.of("fx", "acp"));
        m.put("grok-build", List.of("grok", "agent", "stdio"));
        m.put("iflow", List.of("iflow", "--experimental-acp"));
        m.put("junie", List.of("junie", "--acp=true"));
        m.put("kilocode", List.of("npx", "-y", "@kilocode/cli", "acp"));
        m.put("kimi", List.of("kimi", "acp"));
        m.put("kiro", List.of("kiro-cli-chat", "acp"));
        m.put("mcode", List.of("mcode", "acp"));
        m.put("mux", List.of("npx", "-y", "mux@" + MUX_RANGE, "acp"));
        m.put("opencode", List.of("npx", "-y", "opencode-ai", "acp"));
        m.put("pool", List.of("pool", "acp"));
        m.put("qoder", List.of("qodercli", "--acp"));
        m.put("qwen", List.of("qwen", "--acp"));
        m.put("trae", List.of("traecli", "acp", "serve"));
        m.put("zeroclaw", List.of("zeroclaw", "acp"));
        return Collections.unmodifiableMap(m);
    }

    /** The built-in agents (name to argv), without {@code demo}. */
    public static Map<String, List<String>> builtInArgv() {
        return BUILT_INS;
    }

    /** Built-in names, {@code demo}, then names only config defines; for help and listings. */
    public List<String> names(AcpxConfig config) {
        LinkedHashSet<String> names = new LinkedHashSet<>(BUILT_INS.keySet());
        names.add(DEMO);
        names.addAll(config.agents().keySet());
        return List.copyOf(names);
    }

    /**
     * Resolves a positional agent token: config {@code agents} first (exact normalized name, then
     * alias), then built-ins, then {@code demo}; anything else is a raw command line whose
     * identity is the token itself.
     */
    public ResolvedAgent resolve(String nameOrCommand, AcpxConfig config) {
        Objects.requireNonNull(nameOrCommand, "nameOrCommand");
        if (nameOrCommand.isBlank()) {
            throw new IllegalArgumentException("agent name must not be empty");
        }
        String normalized = normalize(nameOrCommand);
        String canonical = ALIASES.getOrDefault(normalized, normalized);
        for (String key : List.of(normalized, canonical)) {
            AgentDefinition configured = config.agents().get(key);
            if (configured != null) {
                return fromDefinition(key, configured);
            }
        }
        for (String key : List.of(normalized, canonical)) {
            List<String> argv = BUILT_INS.get(key);
            if (argv != null) {
                // Node's identity for a built-in is its argv joined by single spaces, unquoted.
                return new ResolvedAgent(key, String.join(" ", argv), argv,
                        new AgentDefinition.Argv(String.join(" ", argv), argv));
            }
        }
        if (normalized.equals(DEMO)) {
            return fromDefinition(DEMO, AgentDefinition.builtinDemo());
        }
        // Node keeps the positional token verbatim as the identity of a raw command.
        return new ResolvedAgent(null, nameOrCommand, split(nameOrCommand.trim()),
                new AgentDefinition.Command(nameOrCommand));
    }

    /** An explicit {@code --agent '<command line>'}: trimmed, split shell-style, identity is the line. */
    public ResolvedAgent rawCommand(String commandLine) {
        String trimmed = commandLine.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("Agent command must not be empty");
        }
        return new ResolvedAgent(null, trimmed, split(trimmed), new AgentDefinition.Command(trimmed));
    }

    private ResolvedAgent fromDefinition(String name, AgentDefinition definition) {
        return switch (definition) {
            case AgentDefinition.Argv argv -> new ResolvedAgent(name, argv.command(), argv.argv(), argv);
            case AgentDefinition.Command command ->
                    new ResolvedAgent(name, command.command(), split(command.command()), command);
            case AgentDefinition.BuiltinDemo demo -> new ResolvedAgent(name, demo.command(), List.of(), demo);
        };
    }

    private List<String> split(String commandLine) {
        List<String> argv = new ArrayList<>(commandLineSplitter.apply(commandLine));
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new IllegalArgumentException("Invalid agent command: empty command in '" + commandLine + "'");
        }
        return argv;
    }

    /** Trimmed and lower-cased, as the Node acpx matches agent names. */
    static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
