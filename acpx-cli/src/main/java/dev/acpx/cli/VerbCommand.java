package dev.acpx.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A verb: the global options mixed in, the invocation's context, and an exit code as result. */
abstract class VerbCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions g = new GlobalOptions();

    Context ctx;

    VerbCommand bind(Context ctx) {
        this.ctx = ctx;
        return this;
    }
}
