package dev.acpx.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: the session's measured state, its agent's last exit and why it disconnected. */
@Command(name = "status", description = "Show the session's state", mixinStandardHelpOptions = true)
final class StatusCommand extends VerbCommand {
    @Option(names = {"-s", "--session"}, paramLabel = "NAME")
    String session;

    @Override
    public Integer call() {
        LocalOutput.status(ctx, g, ctx.runtime().status(ctx.agent(g), ctx.cwd(g), session));
        return 0;
    }
}
