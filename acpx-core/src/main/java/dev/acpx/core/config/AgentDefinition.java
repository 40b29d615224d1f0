package dev.acpx.core.config;

import java.util.List;
import java.util.Objects;

/**
 * How to launch an agent: a command line, an explicit argv, or our built-in demo agent.
 * {@link #command()} is the identity string that session records store as {@code agent_command}.
 */
public sealed interface AgentDefinition {

    /** The agent command identity: the session scope key, as the Node acpx forms it. */
    String command();

    /** A command line parsed shell-style at launch ({@code {"command": "..."}} in config). */
    record Command(String command) implements AgentDefinition {
        public Command {
            Objects.requireNonNull(command, "command");
            if (command.isBlank()) {
                throw new IllegalArgumentException("agent command must not be blank");
            }
        }
    }

    /**
     * An exact argv ({@code {"argv": [...]}} in config, built-in registry entries, or the
     * legacy {@code {"command", "args"}} form). {@code command} is the identity the Node acpx
     * derives for it, which differs per source, so it is carried rather than recomputed.
     */
    record Argv(String command, List<String> argv) implements AgentDefinition {
        public Argv {
            Objects.requireNonNull(command, "command");
            argv = List.copyOf(argv);
            if (argv.isEmpty() || argv.get(0).isEmpty()) {
                throw new IllegalArgumentException("agent argv needs a non-empty executable first");
            }
        }

        /** An argv from config: identity is the argv rendered with Node's quoting rules. */
        public static Argv of(List<String> argv) {
            return new Argv(ArgvIdentity.render(argv), argv);
        }
    }

    /**
     * Our scripted offline agent, shipped inside acpx. The launcher decides how to start it
     * (a java command on our own jar); the identity stays stable across installs so that
     * sessions keep matching when the jar moves.
     */
    record BuiltinDemo() implements AgentDefinition {
        /** Stable agent command identity of the demo agent in session records. */
        public static final String IDENTITY = "acpx-demo-agent";

        @Override
        public String command() {
            return IDENTITY;
        }
    }

    /** The marker for the built-in demo agent. */
    static AgentDefinition builtinDemo() {
        return new BuiltinDemo();
    }
}
