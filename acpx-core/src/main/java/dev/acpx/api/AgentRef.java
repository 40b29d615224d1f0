package dev.acpx.api;

import java.util.List;

/**
 * A resolved agent: its registry name (null for a raw command), the command string that keys
 * its sessions (the Node acpx's {@code agent_command}), and the argv that starts it.
 */
public record AgentRef(String name, String command, List<String> argv) {
    public AgentRef {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw AcpxException.usage("the agent command is empty; pass a command with --agent");
        }
    }
}
