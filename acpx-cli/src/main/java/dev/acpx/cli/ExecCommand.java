package dev.acpx.cli;

import dev.acpx.api.ConfigOptionAssignment;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.TurnResult;
import dev.acpx.cli.output.Renderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code exec}: one turn in a fresh one-shot session that ends closed whatever happens. */
@Command(name = "exec", description = "Run one prompt in a one-shot session", mixinStandardHelpOptions = true)
final class ExecCommand extends VerbCommand {
    @Mixin
    PromptText text = new PromptText();

    @Option(names = "--config-option", paramLabel = "KEY=VALUE",
            description = "Set a session config option before the prompt (repeatable)")
    List<String> configOptions = new ArrayList<>();

    @Override
    public Integer call() {
        List<ConfigOptionAssignment> assignments = SessionFlags.configOptions(configOptions);
        Path cwd = ctx.cwd(g);
        Renderer renderer = ctx.renderer(g);
        String prompt = text.read(ctx, cwd);
        ExecRequest request = new ExecRequest(ctx.agent(g), cwd, prompt, ctx.permissions(g), ctx.timeout(g),
                null, ctx.authFail(g), g.access(), SessionFlags.agentOptions(g), assignments,
                SessionFlags.promptRetries(g));
        TurnResult result = ctx.runtime().exec(request, renderer);
        renderer.flush();
        if (result.permissionDenied()) {
            renderer.permissionDenied();
            return ErrorKind.PERMISSION_DENIED.exitCode();
        }
        return 0;
    }
}
