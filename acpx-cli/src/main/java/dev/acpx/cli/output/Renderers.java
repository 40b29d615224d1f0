package dev.acpx.cli.output;

import java.io.PrintStream;

/** Picks the renderer for {@code --format}. */
public final class Renderers {
    private Renderers() {}

    public static Renderer create(String format, boolean jsonStrict, boolean suppressReads, boolean verbose,
                                  String sessionLabel, PrintStream out, PrintStream err) {
        return switch (format) {
            case "json" -> new JsonRenderer(out, err, jsonStrict, verbose, suppressReads, sessionLabel);
            case "quiet" -> new QuietRenderer(out, err);
            default -> new TextRenderer(out, err, suppressReads, verbose);
        };
    }
}
