package dev.acpx.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code set KEY VALUE}: a session config option ({@code model} by category, legacy set_model fallback). */
@Command(name = "set", description = "Set a session config option", mixinStandardHelpOptions = true)
final class SetCommand extends VerbCommand {
    @Mixin
    SessionOption session = new SessionOption();

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() {
        String summary = ctx.runtime().setOption(ctx.agent(g), ctx.cwd(g), session.name, key, value);
        LocalOutput.message(ctx, g, summary, LocalOutput.object().put("key", key).put("value", value));
        return 0;
    }
}
