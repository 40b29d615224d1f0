package dev.acpx.cli;

import picocli.CommandLine.Option;

/** {@code -s/--session NAME}: the named session of the scope, shared by every verb that targets one. */
final class SessionOption {
    @Option(names = {"-s", "--session"}, paramLabel = "NAME", description = "Named session of this scope")
    String name;
}
