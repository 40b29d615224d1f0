package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.cli.compare.CompareOutput;
import dev.acpx.cli.compare.CompareRow;
import dev.acpx.cli.compare.CompareRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code compare <agent>... <prompt>} / {@code compare <agent>... -f FILE}: one prompt through
 * several agents, one-shot each, summarized as a table (SPEC-P2 §4). Ours adds {@code --parallel}.
 * The global permission, timeout, cwd and format options apply (given before or after the verb).
 */
@Command(name = "compare", description = "Run one prompt across multiple agents and summarize the results",
        mixinStandardHelpOptions = true)
final class CompareCommand extends VerbCommand {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ARGS", arity = "0..*", description = "Agents followed by the prompt, or agents with --file")
    List<String> args = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Read the prompt from a file (- = stdin)")
    String file;

    @Option(names = "--prompt-file", paramLabel = "PATH", description = "Same as --file")
    String promptFile;

    @Option(names = "--json", description = "Same as --format json")
    boolean json;

    @Option(names = "--parallel", description = "Run the agents at once (within maxConcurrentSessions)")
    boolean parallel;

    @Override
    public Integer call() {
        if (json) {
            g.format = "json";
        }
        if (g.agent != null || ctx.agentToken != null) {
            throw AcpxException.usage("Do not combine compare with --agent; pass agent names");
        }
        String promptPath = promptFile();
        Path cwd = ctx.cwd(g);
        var renderer = ctx.renderer(g); // checks --format and --json-strict before anything runs
        CompareArgs split = CompareArgs.split(args, promptPath, tokensAfterDoubleDash());
        String prompt = PromptInput.read(split.promptWords(), promptPath, cwd, ctx.stdin, ctx.stdinIsTty());
        PermissionPolicy policy = ctx.permissions(g);
        Duration configured = ctx.timeout(g);
        Duration timeout = configured == null ? DEFAULT_TIMEOUT : configured;
        boolean authFail = ctx.authFail(g);
        var runtime = ctx.runtime();
        CompareRunner runner = new CompareRunner((agent, listener) -> {
            AgentRef ref = runtime.resolveAgent(agent, false, cwd);
            return runtime.exec(new ExecRequest(ref, cwd, prompt, policy, timeout, g.model, authFail, g.access()),
                    listener);
        }, timeout, System::nanoTime);
        Integer limit = ctx.settings(g).maxConcurrentSessions();
        int parallelism = !parallel ? 1 : limit == null ? split.agents().size() : Math.max(1, limit);
        String format = ctx.format(g);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicReference<List<CompareRow>> result = new AtomicReference<>();
        ctx.onInterrupt(() -> {
            // Ctrl+C: no further agent, the running ones ended (their rows say Interrupted), rows so far printed.
            runner.interrupt();
            runtime.interrupt();
            try {
                finished.await(INTERRUPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<CompareRow> rows = result.get();
            print(rows != null ? rows : runner.finishedSoFar(), format);

        });
        List<CompareRow> rows;
        try {
            rows = runner.run(split.agents(), parallelism);
            result.set(rows);
        } finally {
            finished.countDown();
        }
        renderer.flush();
        print(rows, format);
        return CompareRow.exitCode(rows);
    }

    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(5);
    private boolean printed;

    /**
     * Prints the rows once: the interrupt and the normal end may race, the first one prints. The lock
     * is held through the flush, so the signal handler (which ends the JVM next) never cuts a print short.
     */
    private synchronized void print(List<CompareRow> rows, String format) {
        if (printed) {
            return;
        }
        printed = true;
        switch (format) {
            case "json" -> ctx.out.println(CompareOutput.json(rows, ctx.mapper()));
            case "quiet" -> ctx.out.print(CompareOutput.quiet(rows));
            default -> ctx.out.print(CompareOutput.table(rows));
        }
        ctx.out.flush();
    }

    private String promptFile() {
        if (file != null && promptFile != null && !file.equals(promptFile)) {
            throw AcpxException.usage("Use only one prompt file flag: --file or --prompt-file");
        }
        String chosen = file != null ? file : promptFile;
        if (chosen != null && chosen.isBlank()) {
            throw AcpxException.usage("Prompt file must not be empty");
        }
        return chosen == null ? null : chosen.strip();
    }

    /** The tokens after {@code --} on the command line, or null when there is none (they are the prompt). */
    private List<String> tokensAfterDoubleDash() {
        var parsed = spec.commandLine().getParseResult();
        List<String> original = parsed == null ? List.of() : parsed.originalArgs();
        int at = original.indexOf("--");
        return at < 0 ? null : original.subList(at + 1, original.size());
    }
}
