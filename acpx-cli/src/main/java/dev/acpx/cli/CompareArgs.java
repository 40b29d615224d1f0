package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import java.util.List;

/**
 * How compare's positionals split into agents and prompt (the Node acpx 0.19.1's rules): after
 * {@code --} everything is the prompt; with a prompt file every positional is an agent; otherwise
 * the last positional is the prompt.
 */
record CompareArgs(List<String> agents, List<String> promptWords) {

    static CompareArgs split(List<String> args, String promptFile, List<String> afterDoubleDash) {
        if (afterDoubleDash != null) {
            List<String> agents = args.subList(0, Math.max(0, args.size() - afterDoubleDash.size()));
            if (agents.isEmpty()) {
                throw AcpxException.usage("At least one agent is required");
            }
            return new CompareArgs(List.copyOf(agents), List.copyOf(afterDoubleDash));
        }
        if (promptFile != null) {
            if (args.isEmpty()) {
                throw AcpxException.usage("At least one agent is required");
            }
            return new CompareArgs(List.copyOf(args), List.of());
        }
        if (args.size() < 2) {
            throw AcpxException.usage("Usage: acpx compare <agent>... '<prompt>'");
        }
        return new CompareArgs(List.copyOf(args.subList(0, args.size() - 1)), List.of(args.getLast()));
    }
}
