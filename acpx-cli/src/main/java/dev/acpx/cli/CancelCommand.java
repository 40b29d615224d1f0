package dev.acpx.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cancel}: session/cancel for the running turn; "nothing to cancel" (exit 0) when idle. */
@Command(name = "cancel", description = "Cancel the running turn", mixinStandardHelpOptions = true)
final class CancelCommand extends VerbCommand {
    @Mixin
    SessionOption session = new SessionOption();

    @Override
    public Integer call() {
        boolean cancelled = ctx.runtime().cancel(ctx.agent(g), ctx.cwd(g), session.name);
        LocalOutput.message(ctx, g, cancelled ? "cancel requested" : "nothing to cancel",
                LocalOutput.object().put("cancelled", cancelled));
        return 0;
    }
}
