package dev.acpx.api;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run of the acpx command line, wherever it runs: in a process of its own, or inside a
 * long-lived JVM (the per-user daemon) on behalf of a thin client that forwarded its arguments,
 * working directory, environment, terminal and signals. The command reads everything it needs of
 * its caller from here, never from the JVM it happens to run in.
 */
public interface CommandLineCall {
    /** The arguments after {@code acpx}. */
    List<String> args();

    /** The caller's working directory (absolute). */
    Path cwd();

    /** The caller's environment: agents the command starts inherit it. */
    Map<String, String> environment();

    InputStream stdin();

    PrintStream stdout();

    PrintStream stderr();

    /** Whether the caller's standard input is a terminal. */
    boolean stdinIsTerminal();

    /** Whether the caller's standard error is a terminal (questions to a person go there). */
    boolean stderrIsTerminal();

    /**
     * Runs {@code handler} when the caller gets signal {@code name} ({@code INT}, {@code TERM} or
     * {@code HUP}); the last handler for a name wins. A forwarded caller that disappears counts as
     * {@code TERM}.
     */
    void onSignal(String name, Runnable handler);

    /**
     * Ends the call at once with {@code code}; what the command writes afterwards is lost. In a
     * process of its own this halts the JVM; in the daemon it answers the caller and lets the
     * command's thread wind down.
     */
    void exit(int code);

    /**
     * Runs {@code cleanup} once the caller has its exit code, for work the caller need not wait for
     * (ending an agent that only answered a question). In a process of its own it runs now, before
     * the process exits; in the daemon the caller is answered first.
     */
    default void afterAnswer(Runnable cleanup) {
        cleanup.run();
    }
}
