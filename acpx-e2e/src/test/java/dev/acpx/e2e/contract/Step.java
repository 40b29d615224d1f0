package dev.acpx.e2e.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One compared step: the same arguments to both CLIs. By default ours must print what the Node
 * acpx prints (json lines: every key it prints, with the same value; extra keys allowed). A
 * deliberate difference is declared here, as the change that turns the Node output into ours,
 * with the docs/COMPATIBILITY.md entry that explains it.
 */
final class Step {
    final List<String> args;
    UnaryOperator<String> out = UnaryOperator.identity();
    UnaryOperator<String> err = UnaryOperator.identity();
    Integer code;
    boolean prettyJson;
    boolean errExact = true;
    final List<String> deviations = new ArrayList<>();

    Step(List<String> args) {
        this.args = args;
    }

    /** Ours differs from the Node acpx on purpose: {@code why} names the COMPATIBILITY.md entry. */
    Step deviates(String why) {
        deviations.add(why);
        return this;
    }

    Step out(UnaryOperator<String> f) {
        out = f;
        return this;
    }

    Step err(UnaryOperator<String> f) {
        err = f;
        return this;
    }

    Step code(int c) {
        code = c;
        return this;
    }

    /** stdout is one pretty-printed JSON document (config show in text and quiet mode). */
    Step prettyJson(boolean on) {
        prettyJson = on;
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", args);
    }
}
