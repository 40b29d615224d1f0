package dev.acpx.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code status}: the session's measured state, its agent's last exit and why it disconnected. */
@Command(name = "status", description = "Show the session's state", mixinStandardHelpOptions = true)
final class StatusCommand extends VerbCommand {
    @Mixin
    SessionOption session = new SessionOption();

    @Override
    public Integer call() {
        LocalOutput.status(ctx, g, ctx.runtime().status(ctx.agent(g), ctx.cwd(g), session.name));
        return 0;
    }
}
