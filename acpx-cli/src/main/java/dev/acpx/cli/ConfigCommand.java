package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acpx.api.AcpxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code config show} prints the merged configuration (one line in json mode, JavaScript-style
 * pretty JSON otherwise); {@code config init} writes the global template once. As the Node acpx
 * 0.19.1 (SPEC-P2 §12); {@code config} alone is {@code config show}.
 */
@Command(name = "config", description = "Show or initialise the configuration", mixinStandardHelpOptions = true)
final class ConfigCommand extends VerbCommand {
    @Parameters(paramLabel = "show|init", arity = "0..*")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        String action = args.isEmpty() ? "show" : args.get(0);
        if (args.size() > 1) {
            throw AcpxException.usage("config " + action + " takes no arguments, got '" + args.get(1) + "'");
        }
        LocalOutput out = new LocalOutput(ctx, g);
        switch (action) {
            case "show" -> {
                JsonNode shown = out.readTree(ctx.runtime().configJson(ctx.cwd(g)));
                out.stdout().println(out.json() ? shown.toString() : JsPretty.print(shown));
            }
            case "init" -> {
                Path written = ctx.runtime().initConfig();
                Path path = written != null ? written : ctx.userHome().resolve(".acpx/config.json");
                if (out.json()) {
                    out.emit(out.object().put("path", path.toString()).put("created", written != null));
                } else if (out.quiet()) {
                    out.stdout().println(path);
                } else {
                    out.stdout().println((written != null ? "Created " : "Config already exists: ") + path);
                }
            }
            default -> throw AcpxException.usage("unknown config action '" + action + "'; use show or init");
        }
        return 0;
    }
}
