package dev.acpx.cli;

import dev.acpx.api.CommandLineCall;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;

/** A command running in a JVM of its own: this process's streams, directory, terminal and signals. */
record ProcessCall(List<String> args, Path cwd, Map<String, String> environment, InputStream stdin,
                   PrintStream stdout, PrintStream stderr, boolean stdinIsTerminal, boolean stderrIsTerminal)
        implements CommandLineCall {

    static ProcessCall of(String[] args) {
        Boolean in = dev.acpx.thin.Terminals.isTerminal(0);
        Boolean errOut = dev.acpx.thin.Terminals.isTerminal(2);
        boolean console = consoleIsTerminal();
        return new ProcessCall(List.of(args), Path.of("").toAbsolutePath(), System.getenv(), System.in, System.out,
                System.err, in != null ? in : console, errOut != null ? errOut : console);
    }

    @Override
    public void onSignal(String name, Runnable handler) {
        try {
            Signal.handle(new Signal(name), sig -> handler.run());
        } catch (IllegalArgumentException ignored) {
            // a signal this platform does not have: its default behaviour remains
        }
    }

    @Override
    public void exit(int code) {
        stdout.flush();
        Runtime.getRuntime().halt(code);
    }

    /** No /proc (not Linux): the console check covers stdin and stdout, the best the JDK offers. */
    private static boolean consoleIsTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
