package dev.acpx.cli;

import dev.acpx.api.ErrorKind;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.TurnResult;
import dev.acpx.cli.output.Renderer;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code exec}: one turn in a fresh one-shot session that ends closed whatever happens. */
@Command(name = "exec", description = "Run one prompt in a one-shot session", mixinStandardHelpOptions = true)
final class ExecCommand extends VerbCommand {
    @Mixin
    PromptText text = new PromptText();

    @Override
    public Integer call() {
        Path cwd = ctx.cwd(g);
        Renderer renderer = ctx.renderer(g);
        String prompt = text.read(ctx, cwd);
        ExecRequest request = new ExecRequest(ctx.agent(g), cwd, prompt, ctx.permissions(g), ctx.timeout(g),
                g.model, ctx.authFail(g), g.access());
        TurnResult result = ctx.runtime().exec(request, renderer);
        renderer.flush();
        if (result.permissionDenied()) {
            renderer.permissionDenied();
            return ErrorKind.PERMISSION_DENIED.exitCode();
        }
        return 0;
    }
}
