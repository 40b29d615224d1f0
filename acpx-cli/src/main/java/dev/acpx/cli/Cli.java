package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.ErrorKind;
import dev.acpx.cli.output.Renderer;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * One invocation: split the grammar, parse the verb with picocli, run it, and map every way
 * out to an exit code here and nowhere else (SPEC §8).
 */
public final class Cli {
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final AtomicBoolean interrupted = new AtomicBoolean();

    public Cli(InputStream stdin, PrintStream out, PrintStream err, Map<String, String> env) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public int run(String[] args) {
        ArgScanner scan = ArgScanner.scan(args);
        if (scan.globals().contains("--version") || scan.globals().contains("-V")) {
            out.println(Main.VERSION);
            return 0;
        }
        if (scan.verb() == null || scan.verb().equals("help")
                || (scan.globals().contains("--help") || scan.globals().contains("-h")) && !scan.verbExplicit()) {
            out.print(Help.TEXT);
            return 0;
        }
        Context ctx = new Context(stdin, out, err, env, scan.agentToken());
        VerbCommand verb;
        try {
            verb = Verbs.create(scan.verb()).bind(ctx);
        } catch (AcpxException e) {
            return fail(ctx, null, e);
        }
        CommandLine cl = new CommandLine(verb);
        cl.setOut(new java.io.PrintWriter(out, true));
        List<String> argv = new ArrayList<>(scan.globals());
        argv.addAll(localCwd(scan));
        try {
            CommandLine.ParseResult parsed = cl.parseArgs(argv.toArray(String[]::new));
            CommandLine.ParseResult leaf = parsed;
            while (leaf.hasSubcommand()) {
                leaf = leaf.subcommand();
            }
            if (leaf.isUsageHelpRequested()) {
                leaf.commandSpec().commandLine().usage(out);
                return 0;
            }
            verb.g.validate();
            ctx.mcpConfig = verb.g.mcpConfig;
            installSignalHandlers(ctx, verb.g);
            Object target = leaf.commandSpec().userObject();
            int code;
            if (target instanceof VerbCommand sub && sub != verb) {
                sub.g = verb.g;
                sub.bind(ctx);
                code = sub.call();
            } else {
                code = verb.call();
            }
            // A turn cancelled by Ctrl+C ends normally on the owner; the command still says 130.
            return interrupted.get() ? ErrorKind.INTERRUPTED.exitCode() : code;
        } catch (CommandLine.ParameterException e) {
            return fail(ctx, verb.g, AcpxException.usage(e.getMessage() + " (see `acpx --help`)"));
        } catch (AcpxException e) {
            return fail(ctx, verb.g, e);
        } catch (RuntimeException e) {
            AcpxException wrapped = new AcpxException(ErrorKind.RUNTIME,
                    "internal error: " + e + " (rerun with --verbose for the stack trace)", stackTrace(e), e);
            return fail(ctx, verb.g, wrapped);
        } catch (Exception e) {
            return fail(ctx, verb.g, new AcpxException(ErrorKind.RUNTIME, e.getMessage(), stackTrace(e), e));
        } finally {
            AcpxRuntime runtime = ctx.runtimeIfStarted();
            if (runtime != null && !interrupted.get()) {
                runtime.close();
            }
        }
    }

    private int fail(Context ctx, GlobalOptions g, AcpxException e) {
        if (interrupted.get()) {
            return ErrorKind.INTERRUPTED.exitCode();
        }
        Renderer renderer = ctx.fallbackRenderer(g);
        renderer.error(e, g != null && g.verbose);
        return e.kind().exitCode();
    }

    /**
     * SIGINT and SIGTERM end the command with 130 after the runtime has ended every agent tree
     * and closed every one-shot record it holds; the JVM's default would skip that cleanup's
     * ordering and exit 143.
     */
    private void installSignalHandlers(Context ctx, GlobalOptions g) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    if (!interrupted.compareAndSet(false, true)) {
                        return;
                    }
                    // A verb with its own interrupt (compare: stop admitting, end its agents, print the rows so far).
                    Runnable output = ctx.interruptOutput();
                    if (output != null) {
                        output.run();
                    }
                    AcpxRuntime runtime = ctx.runtimeIfStarted();
                    if (runtime != null) {
                        runtime.interrupt();
                    }
                    if (!(g.jsonStrict)) {
                        err.println("interrupted (SIG" + name + ")");
                    }
                    out.flush();
                    Runtime.getRuntime().halt(ErrorKind.INTERRUPTED.exitCode());
                });
            } catch (IllegalArgumentException ignored) {
                // signal not available on this platform: the default behaviour remains
            }
        }
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        return sw.toString();
    }

    /**
     * {@code sessions export|import --cwd DIR}: after the action, --cwd is the session's cwd (resolved
     * against the global one), as in the Node acpx; it reaches the verb as --session-cwd.
     */
    private static List<String> localCwd(ArgScanner scan) {
        List<String> rest = new ArrayList<>(scan.rest());
        if ("sessions".equals(scan.verb()) && !rest.isEmpty() && List.of("export", "import").contains(rest.get(0))) {
            rest.replaceAll(a -> a.equals("--cwd") ? "--session-cwd" : a.startsWith("--cwd=") ? "--session-cwd=" + a.substring(6) : a);
        }
        return rest;
    }
}
