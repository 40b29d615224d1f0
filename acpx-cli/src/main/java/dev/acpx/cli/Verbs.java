package dev.acpx.cli;

import dev.acpx.api.AcpxException;

/** The verbs, by name: one class each. */
final class Verbs {
    private Verbs() {}

    static VerbCommand create(String verb) {
        return switch (verb) {
            case "exec" -> new ExecCommand();
            case "config" -> new ConfigCommand();
            case "prompt" -> new PromptCommand();
            case "sessions" -> new SessionsCommand();
            case "status" -> new StatusCommand();
            case "cancel" -> new CancelCommand();
            case "set-mode" -> new SetModeCommand();
            case "set" -> new SetCommand();
            case "compare" -> new CompareCommand();
            case "flow" -> new FlowCommand();
            default -> throw AcpxException.usage("unknown command '" + verb + "' (see `acpx --help`)");
        };
    }
}
