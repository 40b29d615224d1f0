package dev.acpx.core.daemon;

import dev.acpx.api.CommandLineService;
import dev.acpx.api.CommandLineWire;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Runs the commands thin clients forward (frames in {@link CommandLineWire}): one connection per
 * command, the command on a platform thread of its own, the client's frames read on this one.
 * A client of another build makes the daemon retire (B); a daemon without the command line on its
 * class path, or one that is leaving, tells the client to run the command itself (F).
 */
final class ForwardedCalls {
    /** The client counts a daemon silent for 20 s as wedged (dev.acpx.thin.ThinClient). */
    private static final long KEEPALIVE_MILLIS = 1_000;
    private final String build;
    private final long pid;
    private final HostedSessions activity;
    private final Runnable retire;
    private volatile Optional<CommandLineService> service;

    ForwardedCalls(String build, long pid, HostedSessions activity, Runnable retire) {
        this.build = build;
        this.pid = pid;
        this.activity = activity;
        this.retire = retire;
    }

    /** Serves one forwarded command: {@code wire}'s next frame is its hello. */
    void serve(CommandLineWire wire) throws IOException {
        CommandLineWire.Frame hello = wire.read();
        if (hello == null || hello.type() != CommandLineWire.HELLO) {
            return;
        }
        List<String> s = CommandLineWire.strings(hello.payload());
        if (s.size() < 7 || !s.get(0).equals(CommandLineWire.VERSION)) {
            reply(wire, CommandLineWire.FALLBACK, "this acpx daemon speaks version " + CommandLineWire.VERSION
                    + " of the wire");
            return;
        }
        if (!s.get(1).equals(build)) {
            // As with queue owners: a caller of another build never uses this daemon; it leaves for a new one.
            reply(wire, CommandLineWire.OTHER_BUILD, build);
            retire.run();
            return;
        }
        Optional<CommandLineService> cli = service();
        if (cli.isEmpty()) {
            reply(wire, CommandLineWire.FALLBACK, "this acpx daemon has no command line on its class path");
            return;
        }
        if (!activity.begin()) {
            reply(wire, CommandLineWire.FALLBACK, "this acpx daemon is leaving");
            return;
        }
        try {
            run(cli.get(), parse(s, wire), wire);
        } finally {
            activity.endCall();
        }
    }

    private void run(CommandLineService cli, ForwardedCall call, CommandLineWire wire) {
        reply(wire, CommandLineWire.ACCEPTED, Long.toString(pid));
        Thread command = Thread.ofPlatform().daemon().name("acpx-call").start(() -> {
            int code;
            try {
                code = cli.run(call);
            } catch (RuntimeException | Error e) {
                call.stderr().println("acpx: internal error in the acpx daemon: " + e);
                code = 1;
            }
            call.exit(code);
            call.runAfterAnswer();
        });
        Thread.ofPlatform().daemon().name("acpx-call-keepalive").start(() -> {
            while (!call.exited()) {
                call.keepalive();
                try {
                    Thread.sleep(KEEPALIVE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            CommandLineWire.Frame f;
            while (!call.exited() && (f = wire.read()) != null) {
                switch (f.type()) {
                    case CommandLineWire.STDIN -> call.stdinData(f.payload());
                    case CommandLineWire.STDIN_END -> call.stdinEnd();
                    case CommandLineWire.SIGNAL -> call.signal(f.text());
                    default -> throw new IOException("unexpected frame " + (char) f.type());
                }
            }
        } catch (IOException e) {
            // the client died or sent nonsense: as if it had left
        }
        call.callerLeft();
        try {
            // The command winds down (its turn cancelled, its agents ended) before the daemon counts it done.
            command.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ForwardedCall parse(List<String> s, CommandLineWire wire) throws IOException {
        String terminals = s.get(3);
        int i = 6;
        int argc = Integer.parseInt(s.get(i++));
        if (argc < 0 || i + argc >= s.size()) {
            throw new IOException("a malformed hello");
        }
        List<String> args = s.subList(i, i + argc);
        i += argc;
        int envc = Integer.parseInt(s.get(i++));
        if (envc < 0 || i + envc != s.size()) {
            throw new IOException("a malformed hello");
        }
        Map<String, String> env = new HashMap<>();
        for (String kv : s.subList(i, i + envc)) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        Path cwd = Path.of(s.get(2));
        if (!cwd.isAbsolute()) {
            throw new IOException("the caller's directory is not absolute: " + cwd);
        }
        return new ForwardedCall(args, cwd, env, terminals.charAt(0) == '1', terminals.charAt(2) == '1',
                charset(s.get(4)), charset(s.get(5)), wire);
    }

    private Optional<CommandLineService> service() {
        Optional<CommandLineService> s = service;
        if (s == null) {
            s = ServiceLoader.load(CommandLineService.class, ForwardedCalls.class.getClassLoader()).findFirst();
            service = s;
        }
        return s;
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    private static void reply(CommandLineWire wire, byte type, String text) {
        try {
            wire.send(type, text);
        } catch (IOException e) {
            // the client left; nothing to answer
        }
    }
}
