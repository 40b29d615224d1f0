package dev.acpx.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The prompt options shared by {@code exec} and {@code prompt}: words, or {@code -f FILE}, or stdin. */
final class PromptText {
    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Read the prompt from a file (- = stdin)")
    String file;

    @Parameters(paramLabel = "TEXT", arity = "0..*", description = "Prompt text")
    List<String> words = new ArrayList<>();

    String read(Context ctx, Path cwd) {
        return PromptInput.read(words, file, cwd, ctx.stdin, ctx.stdinIsTty());
    }
}
