package dev.acpx.cli;

import dev.acpx.api.ErrorKind;
import dev.acpx.api.PromptRequest;
import dev.acpx.api.TurnResult;
import dev.acpx.cli.output.Renderer;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/**
 * {@code prompt} (and the implicit form): one turn in the scope's open session, through its
 * queue owner. Returns the moment the turn ends; {@code --no-wait} once the turn is queued.
 */
@Command(name = "prompt", description = "Send a prompt to the current session", mixinStandardHelpOptions = true)
final class PromptCommand extends VerbCommand {
    @Mixin
    SessionOption session = new SessionOption();

    @Option(names = "--no-wait", description = "Return once the owner has queued the turn")
    boolean noWait;

    @Mixin
    PromptText text = new PromptText();

    @Override
    public Integer call() {
        Path cwd = ctx.cwd(g);
        Renderer renderer = ctx.renderer(g);
        String prompt = text.read(ctx, cwd);
        // The turn runs in the queue owner; its questions come back here when this is a terminal.
        PromptRequest request = new PromptRequest(ctx.agent(g), cwd, session.name, prompt, ctx.permissionSettings(g),
                noWait ? null : ctx.asker(), g.access(), ctx.timeout(g), noWait, ctx.ttl(g),
                SessionFlags.promptRetries(g));
        TurnResult result = ctx.runtime().prompt(request, renderer);
        renderer.flush();
        if (noWait) {
            new LocalOutput(ctx, g).queued(result);
            return 0;
        }
        return result.permissionDenied() ? ErrorKind.PERMISSION_DENIED.exitCode() : 0;
    }

}
