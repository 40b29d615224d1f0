package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.CommandLineCall;
import dev.acpx.api.ErrorKind;
import dev.acpx.cli.output.Renderer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/**
 * One invocation: split the grammar, parse the verb with picocli, run it, and map every way
 * out to an exit code here and nowhere else (SPEC §8).
 */
public final class Cli {
    private final CommandLineCall call;
    private final PrintStream out;
    private final PrintStream err;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    /** The interrupt handler has said its last word (in a process of its own it halts instead). */
    private final java.util.concurrent.CountDownLatch interruptHandled = new java.util.concurrent.CountDownLatch(1);

    public Cli(CommandLineCall call) {
        this.call = call;
        this.out = call.stdout();
        this.err = call.stderr();
    }

    public int run() {
        ArgScanner scan = ArgScanner.scan(call.args().toArray(String[]::new));
        if (scan.globals().contains("--version") || scan.globals().contains("-V")) {
            out.println(Main.VERSION);
            return 0;
        }
        if (scan.verb() == null || scan.verb().equals("help")
                || (scan.globals().contains("--help") || scan.globals().contains("-h")) && !scan.verbExplicit()) {
            out.print(Help.TEXT);
            return 0;
        }
        Context ctx = new Context(call, scan.agentToken());
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
            if (interrupted.get()) {
                // In the daemon the command outlives the interrupt: the handler's answer goes first,
                // then what the runtime still holds is released (in a process, the handler halts).
                awaitInterruptHandled();
            }
            if (runtime != null && ctx.closeAfterAnswer && !interrupted.get()) {
                // Only an agent that answered a question is left to end: the caller need not wait.
                call.afterAnswer(runtime::close);
            } else if (runtime != null) {
                runtime.close();
            }
        }
    }

    private void awaitInterruptHandled() {
        try {
            interruptHandled.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            call.onSignal(name, () -> {
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
                    call.exit(ErrorKind.INTERRUPTED.exitCode());
                    interruptHandled.countDown();
            });
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
