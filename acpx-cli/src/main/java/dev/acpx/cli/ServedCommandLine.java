package dev.acpx.cli;

import dev.acpx.api.CommandLineCall;
import dev.acpx.api.CommandLineService;

/** The command line as the per-user daemon runs it for thin clients (found by ServiceLoader). */
public final class ServedCommandLine implements CommandLineService {
    @Override
    public int run(CommandLineCall call) {
        return new Cli(call).run();
    }
}
