package dev.acpx.cli;

import dev.acpx.api.AcpxException;

/** The verbs, by name: one class each. */
final class Verbs {
    private Verbs() {}

    static VerbCommand create(String verb) {
        return switch (verb) {
            case "exec" -> new ExecCommand();
            case "config" -> new ConfigCommand();
            default -> throw AcpxException.usage("unknown command '" + verb + "' (see `acpx --help`)");
        };
    }
}
