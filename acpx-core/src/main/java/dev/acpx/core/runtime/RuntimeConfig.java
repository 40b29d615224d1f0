package dev.acpx.core.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.Settings;
import dev.acpx.core.agent.AgentRegistry;
import dev.acpx.core.agent.ResolvedAgent;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.config.ConfigException;
import dev.acpx.core.config.ConfigLayers;
import dev.acpx.core.config.ConfigLoader;
import dev.acpx.core.config.ConfigView;
import dev.acpx.core.config.McpConfigFile;
import dev.acpx.core.process.CommandLine;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A runtime's view of the layered configuration and the agent registry (config show, settings, agents). */
final class RuntimeConfig {
    private final ConfigLoader configLoader;
    private final ObjectMapper mapper;
    private final AgentRegistry registry = new AgentRegistry(line -> CommandLine.parse(line).argv());
    private final List<String> demoAgentArgv;
    private final String mcpConfig;

    /** @param mcpConfig {@code --mcp-config}, or null to take the MCP servers of the config files */
    RuntimeConfig(ConfigLoader configLoader, ObjectMapper mapper, List<String> demoAgentArgv, String mcpConfig) {
        this.configLoader = configLoader;
        this.mapper = mapper;
        this.demoAgentArgv = List.copyOf(demoAgentArgv);
        this.mcpConfig = mcpConfig;
    }

    String mcpConfig() {
        return mcpConfig;
    }

    /** The {@code --mcp-config} file, read and checked now (it may change between sessions). */
    private McpConfigFile mcpFile(Path cwd) {
        return McpConfigFile.load(cwd, mcpConfig, mapper);
    }

    /**
     * Config files are parsed once per directory while they stay unchanged: a command asks for
     * them several times, and a long-lived host still sees edits (the files' times are checked).
     */
    private record CachedLayers(ConfigLayers layers, String stamp) {}

    private final Map<Path, CachedLayers> layersByCwd = new ConcurrentHashMap<>();

    private ConfigLayers layers(Path cwd) {
        String stamp = stamp(configLoader.globalPath()) + "|" + stamp(configLoader.projectPath(cwd));
        CachedLayers cached = layersByCwd.get(cwd);
        if (cached != null && cached.stamp().equals(stamp)) {
            return cached.layers();
        }
        try {
            ConfigLayers loaded = configLoader.load(cwd);
            layersByCwd.put(cwd, new CachedLayers(loaded, stamp));
            return loaded;
        } catch (ConfigException e) {
            throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
        }
    }

    private static String stamp(Path file) {
        try {
            return java.nio.file.Files.getLastModifiedTime(file).toMillis() + ":" + java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            return "absent";
        }
    }

    /** The merged configuration for {@code cwd}. */
    AcpxConfig config(Path cwd) {
        try {
            AcpxConfig merged = layers(cwd).merged();
            return mcpConfig == null ? merged : merged.withMcpServers(mcpFile(cwd).servers());
        } catch (ConfigException e) {
            throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
        }
    }

    /** The merged configuration for {@code cwd}. Throws for a malformed file, naming it and the position. */
    Settings settings(Path cwd) {
        ConfigLayers layers = layers(cwd);
        AcpxConfig c;
        try {
            c = layers.merged();
            if (mcpConfig != null) {
                mcpFile(cwd); // like the Node acpx, a bad --mcp-config fails every command
            }
        } catch (ConfigException e) {
            throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
        }
        List<Path> files = new ArrayList<>();
        if (layers.global().exists()) {
            files.add(layers.global().path());
        }
        if (layers.project().exists()) {
            files.add(layers.project().path());
        }
        BigDecimal timeout = c.timeout() == null ? null
                : BigDecimal.valueOf(c.timeout().toMillis()).movePointLeft(3).stripTrailingZeros();
        return new Settings(c.defaultAgent(), c.defaultPermissions().wireName(),
                c.nonInteractivePermissions().wireName(), c.authPolicy().wireName(),
                BigDecimal.valueOf(c.ttl().toMillis()).movePointLeft(3).stripTrailingZeros(), timeout,
                c.format().wireName(), c.queueMaxDepth(), c.maxConcurrentSessions(), files);
    }

    /** The merged configuration for {@code cwd} as {@code config show} prints it (credentials masked). */
    String configJson(Path cwd) {
        var shown = ConfigView.show(layers(cwd), mapper);
        if (mcpConfig != null) {
            try {
                // like the Node acpx: a bad --mcp-config fails config show too; its path is listed
                McpConfigFile file = mcpFile(cwd);
                if (shown.get("paths") instanceof com.fasterxml.jackson.databind.node.ObjectNode paths) {
                    paths.put("mcp", file.path().toString());
                }
            } catch (ConfigException e) {
                throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
            }
        }
        return shown.toPrettyString();
    }

    /**
     * Resolves an agent: with {@code raw} the text is a command line; otherwise a configured or
     * built-in name (or {@code demo}), and any other token is a raw command as in the Node acpx.
     */
    AgentRef resolveAgent(String nameOrCommand, boolean raw, Path cwd) {
        ResolvedAgent resolved;
        try {
            resolved = raw ? registry.rawCommand(nameOrCommand) : registry.resolve(nameOrCommand, config(cwd));
        } catch (IllegalArgumentException e) {
            throw AcpxException.usage("bad agent command: " + e.getMessage());
        }
        List<String> argv = resolved.isBuiltinDemo() ? demoAgentArgv : resolved.argv();
        return new AgentRef(resolved.name(), resolved.agentCommand(), argv);
    }

    /** Writes the config template to {@code ~/.acpx/config.json}; null when one already exists. */
    Path initConfig() {
        ConfigLoader.InitResult result = configLoader.initGlobal();
        return result.created() ? result.path() : null;
    }
}
