package dev.acpx.core.daemon;

import dev.acpx.api.CommandLineCall;
import dev.acpx.api.CommandLineService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in command line for {@link ForwardedCallsTest} (registered for the tests' class path):
 * {@code echo WORDS} prints them with the caller's cwd; {@code cat} copies stdin to stdout;
 * {@code exit N} returns N after a line on stderr; {@code wait} waits for INT or TERM, which it
 * answers with 130 (or reports on stderr when the caller left); {@code later} leaves a cleanup for
 * after its answer that waits for {@link #releaseCleanup} and then marks {@link #cleanupDone}.
 */
public final class ScriptedCommandLine implements CommandLineService {
    static volatile String lastSignal;
    static final CountDownLatch releaseCleanup = new CountDownLatch(1);
    static final CountDownLatch cleanupDone = new CountDownLatch(1);

    @Override
    public int run(CommandLineCall call) {
        String verb = call.args().isEmpty() ? "" : call.args().get(0);
        switch (verb) {
            case "echo" -> {
                call.stdout().println(String.join(" ", call.args().subList(1, call.args().size())) + " @ " + call.cwd()
                        + " tty=" + call.stdinIsTerminal() + call.stderrIsTerminal()
                        + " env=" + call.environment().get("SCRIPTED"));
                return 0;
            }
            case "cat" -> {
                try {
                    call.stdout().print(new String(call.stdin().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return 1;
                }
                return 0;
            }
            case "later" -> {
                call.afterAnswer(() -> {
                    try {
                        releaseCleanup.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    cleanupDone.countDown();
                });
                call.stdout().println("answered");
                return 0;
            }
            case "exit" -> {
                call.stderr().println("leaving with " + call.args().get(1));
                return Integer.parseInt(call.args().get(1));
            }
            case "wait" -> {
                CountDownLatch signalled = new CountDownLatch(1);
                for (String name : new String[] {"INT", "TERM"}) {
                    call.onSignal(name, () -> {
                        lastSignal = name;
                        call.stderr().println("got " + name);
                        call.exit(130);
                        signalled.countDown();
                    });
                }
                call.stdout().println("waiting");
                try {
                    signalled.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
            default -> {
                call.stderr().println("unknown " + verb);
                return 2;
            }
        }
    }
}
