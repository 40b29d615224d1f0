package dev.acpx.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AcpxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code set KEY VALUE}: a session config option ({@code model} by category, legacy set_model fallback). */
@Command(name = "set", description = "Set a session config option", mixinStandardHelpOptions = true)
final class SetCommand extends VerbCommand {
    @Mixin
    SessionOption session = new SessionOption();

    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() {
        String id = nonEmpty("Config option key", key);
        String v = nonEmpty("Config option value", value);
        SessionChange change = new SessionChange(ctx, g, session.name);
        change.apply(() -> ctx.runtime().setOption(ctx.agent(g), ctx.cwd(g), session.name, id, v));
        LocalOutput out = new LocalOutput(ctx, g);
        if (id.equals("model")) {
            out.setResult(change.result(out, "model_set", "modelId", v), v, "model set: " + v);
            return 0;
        }
        ObjectNode node = out.object().put("action", "config_set").put("configId", id).put("value", v)
                .put("resumed", change.resumed());
        var options = change.after().path("acpx").path("config_options");
        node.set("configOptions", options.isArray() ? options : out.object().arrayNode());
        out.ids(node, change.session());
        out.setResult(node, v, "config set: " + id + "=" + v + " (" + options.size() + " options)");
        return 0;
    }

    /** The Node acpx trims values and refuses empty ones with "<Label> must not be empty". */
    static String nonEmpty(String label, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw AcpxException.usage(label + " must not be empty");
        }
        return value.trim();
    }
}
