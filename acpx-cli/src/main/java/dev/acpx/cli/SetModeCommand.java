package dev.acpx.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code set-mode MODE}: through the owner when one runs, else straight to the agent; the choice is recorded. */
@Command(name = "set-mode", description = "Set the session mode", mixinStandardHelpOptions = true)
final class SetModeCommand extends VerbCommand {
    @Mixin
    SessionOption session = new SessionOption();

    @Parameters(index = "0", paramLabel = "MODE")
    String mode;

    @Override
    public Integer call() {
        String modeId = SetCommand.nonEmpty("Mode", mode);
        SessionChange change = new SessionChange(ctx, g, session.name);
        change.apply(() -> ctx.runtime().setMode(ctx.agent(g), ctx.cwd(g), session.name, modeId));
        LocalOutput out = new LocalOutput(ctx, g);
        out.setResult(change.result(out, "mode_set", "modeId", modeId), modeId, "mode set: " + modeId);
        return 0;
    }
}
