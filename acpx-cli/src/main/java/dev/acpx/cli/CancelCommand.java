package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cancel}: session/cancel for the running turn; "nothing to cancel" (exit 0) when idle or without a session. */
@Command(name = "cancel", description = "Cancel the running turn", mixinStandardHelpOptions = true)
final class CancelCommand extends VerbCommand {
    @Mixin
    SessionOption session = new SessionOption();

    @Override
    public Integer call() {
        LocalOutput out = new LocalOutput(ctx, g);
        boolean cancelled;
        try {
            cancelled = ctx.runtime().cancel(ctx.agent(g), ctx.cwd(g), session.name);
        } catch (AcpxException e) {
            if (e.kind() != ErrorKind.NO_SESSION) {
                throw e;
            }
            // The Node acpx answers a missing session like an idle one.
            out.cancel(null, false);
            return 0;
        }
        String recordId = ctx.runtime().showSession(ctx.agent(g), ctx.cwd(g), session.name).recordId();
        out.cancel(recordId, cancelled);
        return 0;
    }
}
