package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
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
        AgentRef agent = ctx.agent(g);
        String format = ctx.format(g);
        // The turn runs in the queue owner; its questions come back here when this is a terminal.
        // Built first: a bad config or flag value fails before anything is printed, as in the Node acpx.
        PromptRequest request = new PromptRequest(agent, cwd, session.name, prompt, ctx.permissionSettings(g),
                noWait ? null : ctx.asker(), g.access(), ctx.timeout(g), noWait, ctx.ttl(g),
                SessionFlags.promptRetries(g));
        // As the Node acpx: the session line first (not in quiet, nor with --json-strict).
        String recordId = PromptBanner.print(ctx, g, agent, cwd, session.name,
                !format.equals("quiet") && !(g.jsonStrict && format.equals("json")));
        renderer.session(recordId);
        TurnResult result;
        try {
            result = ctx.runtime().prompt(request, renderer);
        } catch (AcpxException e) {
            if (recordId == null || e.kind() == ErrorKind.NO_SESSION || e.kind() == ErrorKind.USAGE
                    || e.kind() == ErrorKind.INTERRUPTED) {
                throw e;
            }
            // The turn was handed to the owner: its failure is part of the turn's output.
            renderer.turnError(e, g.verbose);
            return e.kind().exitCode();
        }
        renderer.flush();
        if (noWait) {
            new LocalOutput(ctx, g).queued(result);
            return 0;
        }
        if (result.permissionDenied()) {
            renderer.permissionDenied();
            return ErrorKind.PERMISSION_DENIED.exitCode();
        }
        return 0;
    }
}
