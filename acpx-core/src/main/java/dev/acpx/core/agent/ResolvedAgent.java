package dev.acpx.core.agent;

import dev.acpx.core.config.AgentDefinition;
import java.util.List;
import java.util.Objects;

/**
 * An agent ready to launch.
 *
 * @param name          the registry or config name it was found under, or null for a raw command
 * @param agentCommand  the identity stored as {@code agent_command} in session records (scope key),
 *                      formed exactly as the Node acpx forms it so records match
 * @param argv          the process to start; empty only for the built-in demo agent, whose launch
 *                      the caller decides (see {@link #isBuiltinDemo()})
 * @param definition    where it came from
 */
public record ResolvedAgent(String name, String agentCommand, List<String> argv, AgentDefinition definition) {
    public ResolvedAgent {
        Objects.requireNonNull(agentCommand, "agentCommand");
        Objects.requireNonNull(definition, "definition");
        argv = List.copyOf(argv);
        if (argv.isEmpty() && !(definition instanceof AgentDefinition.BuiltinDemo)) {
            throw new IllegalArgumentException("argv must not be empty for " + agentCommand);
        }
    }

    /** True for our scripted offline agent, which has no external command. */
    public boolean isBuiltinDemo() {
        return definition instanceof AgentDefinition.BuiltinDemo;
    }
}
