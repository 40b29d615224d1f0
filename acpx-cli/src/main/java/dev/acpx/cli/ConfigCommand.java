package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code config show} prints the merged configuration; {@code config init} writes a template once. */
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
        switch (action) {
            case "show" -> ctx.out.println(ctx.runtime().configJson(ctx.cwd(g)));
            case "init" -> {
                Path written = ctx.runtime().initConfig();
                if (written == null) {
                    ctx.err.println("config already exists: " + ctx.userHome().resolve(".acpx/config.json"));
                } else {
                    ctx.out.println("wrote " + written);
                }
            }
            default -> throw AcpxException.usage("unknown config action '" + action + "'; use show or init");
        }
        return 0;
    }
}
