package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Where the prompt text comes from: arguments, {@code -f FILE} ({@code -} = stdin), or a piped stdin. */
final class PromptInput {
    private PromptInput() {}

    static String read(List<String> words, String file, Path cwd, InputStream stdin, boolean stdinIsTty) {
        String joined = words == null ? "" : String.join(" ", words);
        // The Node acpx 0.19.1's words for each empty source (all usage errors).
        if (file != null) {
            String body = file.equals("-") ? readStdin(stdin) : readFile(cwd.resolve(file));
            String text = joined.isBlank() ? body : body + (body.endsWith("\n") ? "" : "\n") + joined;
            if (text.isBlank()) {
                throw AcpxException.usage("Prompt from --file is empty");
            }
            return text;
        }
        if (!joined.isBlank()) {
            return joined;
        }
        if (stdinIsTty) {
            throw AcpxException.usage("Prompt is required (pass as argument, --file, or pipe via stdin)");
        }
        String text = readStdin(stdin);
        if (text.isBlank()) {
            throw AcpxException.usage("Prompt from stdin is empty");
        }
        return text;
    }

    private static String readFile(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw AcpxException.usage("prompt file not found: " + path);
        } catch (IOException e) {
            throw AcpxException.usage("cannot read prompt file " + path + ": " + e.getMessage());
        }
    }

    private static String readStdin(InputStream stdin) {
        try {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw AcpxException.usage("cannot read the prompt from stdin: " + e.getMessage());
        }
    }
}
