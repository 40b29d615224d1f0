package dev.acpx.cli;

import dev.acpx.api.PermissionMode;
import dev.acpx.cli.flow.FlowCli;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flow run <file> | flow resume <runId> | flow runs} (SPEC-P2 §5; resume and runs are ours). The
 * work lives in {@link FlowCli}; this binds the global options to it.
 */
@Command(name = "flow", description = "Run multi-step flows: flow run <file>, flow resume <runId>, flow runs",
        mixinStandardHelpOptions = true)
final class FlowCommand extends VerbCommand {
    @Parameters(paramLabel = "ARGS", arity = "0..*", description = "run <file> | resume <runId> | runs")
    List<String> args = new ArrayList<>();

    @Option(names = "--input-json", paramLabel = "JSON", description = "Flow input as JSON")
    String inputJson;

    @Option(names = "--input-file", paramLabel = "PATH", description = "Read the flow input from a JSON file")
    String inputFile;

    @Option(names = "--default-agent", paramLabel = "NAME", description = "Agent of acp nodes without a profile")
    String defaultAgent;

    @Override
    public Integer call() {
        var renderer = ctx.renderer(g); // checks --format and --json-strict first
        String format = ctx.format(g);
        FlowCli cli = new FlowCli(ctx.runtime(), ctx.userHome(), ctx.cwd(g), ctx.call.cwd(), ctx.out, format, JsPretty::print,
                () -> {
                    if (defaultAgent != null) {
                        if (defaultAgent.isBlank()) {
                            throw dev.acpx.api.AcpxException.usage("Default agent must not be empty");
                        }
                        return ctx.runtime().resolveAgent(defaultAgent.strip(), false, ctx.cwd(g));
                    }
                    return ctx.agent(g);
                });
        ctx.onInterrupt(cli::interrupt);
        PermissionMode explicit = g.permissionMode();
        var settings = new FlowCli.RunSettings(ctx.permissions(g), ctx.permissionSettings(g).mode(), explicit != null,
                ctx.timeout(g), SessionFlags.agentOptions(g), g.access());
        int code = cli.run(args, inputJson, inputFile, settings);
        renderer.flush();
        return code;
    }

    /**
     * Finishes flow runs whose process was killed, so the sessions they opened are listed closed (a
     * record left open by a dead run is the zombie this project exists to end). Only when a run was
     * ever stored: one stat otherwise. A failure is one notice; the listing goes on.
     */
    static void reapDeadRuns(Context ctx, java.util.function.Consumer<String> notice) {
        if (!java.nio.file.Files.isDirectory(ctx.userHome().resolve(".acpx/flows/runs"))) {
            return;
        }
        try {
            dev.acpx.api.flow.FlowRunner.create(ctx.runtime(), ctx.userHome()).reap();
        } catch (RuntimeException e) {
            notice.accept("[acpx] could not finish the flow runs whose process died: " + e.getMessage());
        }
    }
}
