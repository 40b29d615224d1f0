package dev.acpx.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code set KEY VALUE}: a session config option ({@code model} by category, legacy set_model fallback). */
@Command(name = "set", description = "Set a session config option", mixinStandardHelpOptions = true)
final class SetCommand extends VerbCommand {
    @Option(names = {"-s", "--session"}, paramLabel = "NAME")
    String session;

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() {
        String summary = ctx.runtime().setOption(ctx.agent(g), ctx.cwd(g), session, key, value);
        LocalOutput.message(ctx, g, summary, LocalOutput.object().put("key", key).put("value", value));
        return 0;
    }
}
