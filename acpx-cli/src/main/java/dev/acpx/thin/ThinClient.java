package dev.acpx.thin;

import dev.acpx.api.CommandLineWire;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * The thin command line (bin/acpx runs it when the per-user daemon is on): it forwards the
 * arguments, directory, environment, terminal facts and signals to the daemon, which parses and
 * renders warm, and relays stdout, stderr, stdin (only what the command reads) and the exit code.
 * JDK classes only, a jar of its own: it starts in a fraction of the full CLI. When no daemon can
 * be reached or started, the full command line runs in this process instead.
 */
public final class ThinClient {
    /** How long a daemon that accepted may take to answer before the ensure step judges it. */
    private static final long ANSWER_MILLIS = 2_000;

    private ThinClient() {}

    /** From the native client (bin/acpx, acpx-cli/src/main/c): the daemon accepted nothing within 2 s. */
    static final String DAEMON_SILENT = "--acpx-daemon-silent";

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(DAEMON_SILENT)) {
            // As after a silent daemon below: the full command line, here, without waiting again.
            DaemonLaunch.runInProcess(System.getenv(), java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        // The JDK's first UNIX-domain channel seeds a SecureRandom as it initializes (~20 ms of this
        // client's start, measured): opened on a thread of its own while the hello is put together.
        var firstChannel = new java.util.concurrent.FutureTask<>(() -> SocketChannel.open(StandardProtocolFamily.UNIX));
        Thread.ofPlatform().daemon().start(firstChannel);
        Map<String, String> env = System.getenv();
        String home = env.getOrDefault("HOME", "");
        Path acpxHome = Path.of(home.isBlank() ? System.getProperty("user.home") : home).resolve(".acpx")
                .toAbsolutePath().normalize();
        Path socket = acpxHome.resolve("daemon").resolve("daemon.sock");
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length <= 107) {
            byte[] hello = hello(args, env);
            for (int attempt = 0; attempt < 3; attempt++) {
                Outcome o = forward(socket, hello, args, attempt == 0 ? firstChannel : null);
                if (o instanceof Outcome.Done d) {
                    Runtime.getRuntime().halt(d.code());
                }
                // A daemon that accepts but does not answer (stopped, wedged) is left to the full command
                // line: it bounds its wait by --timeout and replaces a stuck owner as it always did.
                if (o instanceof Outcome.Silent || !DaemonLaunch.ensure(env, acpxHome)) {
                    break;
                }
            }
        }
        DaemonLaunch.runInProcess(env, args);
    }

    /** How forwarding went: done with an exit code, no daemon to take it, or one that did not answer. */
    sealed interface Outcome {
        record Done(int code) implements Outcome {}
        record Absent() implements Outcome {}
        record Silent() implements Outcome {}
    }

    /**
     * Runs the command in the daemon. Unless it is {@link Outcome.Done}, nothing of stdin was read,
     * so the command may still run elsewhere.
     */
    private static Outcome forward(Path socket, byte[] hello, String[] args,
                                   java.util.concurrent.Future<SocketChannel> opened) {
        SocketChannel channel;
        try {
            channel = opened != null ? opened.get() : SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException e) {
            return new Outcome.Absent();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Absent();
        }
        CommandLineWire wire = new CommandLineWire(channel);
        AtomicBoolean answered = new AtomicBoolean();
        // A daemon that accepts but never answers (stopped, wedged): give up on it; ensure replaces it.
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(ANSWER_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (answered.compareAndSet(false, true)) {
                wire.close(); // the main thread's read fails and finds the answer was claimed here
            }
        });
        CommandLineWire.Frame first;
        try {
            wire.send(CommandLineWire.HELLO, hello);
            first = wire.read();
        } catch (IOException e) {
            first = null;
        }
        boolean timedOut = !answered.compareAndSet(false, true);
        if (first == null || first.type() != CommandLineWire.ACCEPTED) {
            wire.close();
            // B: it retires itself; F: run it here; null: it left, or did not answer in time
            return timedOut ? new Outcome.Silent() : new Outcome.Absent();
        }
        long daemon = Long.parseLong(first.text());
        return new Outcome.Done(new Relay(wire, daemon, args).run());
    }

    /** Per command: streams, signals and the daemon's liveness while the daemon runs it. */
    private static final class Relay {
        private final CommandLineWire wire;
        private final long daemon;
        private final boolean quietInterrupt;
        private volatile long lastFrame = System.nanoTime();
        /** Set once this client decided to kill a stuck daemon: the dropped connection is its doing. */
        private volatile boolean killing;

        Relay(CommandLineWire wire, long daemon, String[] args) {
            this.wire = wire;
            this.daemon = daemon;
            this.quietInterrupt = List.of(args).contains("--json-strict");
        }

        int run() {
            for (String name : new String[] {"INT", "TERM", "HUP"}) {
                try {
                    Signal.handle(new Signal(name), sig -> signalled(name, 128 + sig.getNumber()));
                } catch (IllegalArgumentException ignored) {
                    // a signal this platform does not have
                }
            }
            Thread.ofPlatform().daemon().name("acpx-thin-liveness").start(this::watchDaemon);
            return relay(wire, this);
        }

        /**
         * Forwards the signal; a daemon that does not end the command within {@link #ANSWER_MILLIS}
         * (it is stopped or wedged) leaves Ctrl+C to this process: it exits 130 as a process of its own
         * would, and the daemon cancels the turn once it sees the caller gone.
         */
        private void signalled(String name, int code) {
            try {
                wire.send(CommandLineWire.SIGNAL, name);
                Thread.sleep(ANSWER_MILLIS);
            } catch (IOException | InterruptedException e) {
                // the daemon is gone: end here
            }
            if (!quietInterrupt && !name.equals("HUP")) {
                System.err.println("interrupted (SIG" + name + ")");
            }
            Runtime.getRuntime().halt(name.equals("HUP") ? code : 130);
        }

        /**
         * A daemon that is stopped, or silent for {@link #SILENT_MILLIS} (it sends a keepalive each
         * second), is killed as a stuck queue owner is: its agents and slots go with it, and the next
         * command starts a new daemon whose sessions reconnect.
         */
        private void watchDaemon() {
            long stoppedSince = 0;
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                stoppedSince = stopped(daemon) ? (stoppedSince == 0 ? System.nanoTime() : stoppedSince) : 0;
                // Stopped for a while, not a moment (a debugger, a job-control blip), as the queue owner's
                // caller judges a stopped owner; silent (no keepalive) as long as a stuck owner may be.
                String why = stoppedSince != 0 && System.nanoTime() - stoppedSince > STOPPED_MILLIS * 1_000_000L
                        ? "was stopped (SIGSTOP)"
                        : System.nanoTime() - lastFrame > SILENT_MILLIS * 1_000_000L
                                ? "was silent for " + SILENT_MILLIS / 1000 + " s" : null;
                if (why != null) {
                    // Said before the kill: the relay sees the connection drop at once and must not
                    // report the daemon as having exited on its own.
                    killing = true;
                    System.err.println("acpx: the acpx daemon " + daemon + " " + why + " while running this command;"
                            + " it was killed with its agents (the next command starts a new one, and its sessions"
                            + " reconnect)");
                    ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
                    Runtime.getRuntime().halt(1);
                }
            }
        }
    }

    /** How long a daemon running a command may stay silent (no frame, no keepalive) before it counts as stuck. */
    private static final long SILENT_MILLIS = 20_000;
    /** How long the daemon running a command may stay stopped before it is killed. */
    private static final long STOPPED_MILLIS = 5_000;

    /** Whether the process is stopped (state T or t in /proc/pid/stat). */
    static boolean stopped(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static int relay(CommandLineWire wire, Relay r) {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        StdinPump stdin = new StdinPump(wire);
        try {
            CommandLineWire.Frame f;
            while ((f = wire.read()) != null) {
                r.lastFrame = System.nanoTime();
                switch (f.type()) {
                    case CommandLineWire.KEEPALIVE -> { }
                    case CommandLineWire.STDOUT -> stdout.write(f.payload());
                    case CommandLineWire.STDERR -> stderr.write(f.payload());
                    case CommandLineWire.STDIN_WANTED -> stdin.want(f.number());
                    case CommandLineWire.EXIT -> {
                        return f.number();
                    }
                    default -> throw new IOException("unexpected frame " + (char) f.type());
                }
            }
        } catch (IOException e) {
            // the daemon died or sent nonsense: reported below
        }
        if (r.killing) {
            // the liveness watch killed it and said so; it ends this process with exit 1
            return 1;
        }
        try {
            stderr.write(("acpx: the acpx daemon " + r.daemon + " exited while running this command; see"
                    + " ~/.acpx/daemon/daemon.log (ACPX_DAEMON=0 runs commands without it)\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // nowhere left to say it
        }
        return 1;
    }

    private static byte[] hello(String[] args, Map<String, String> env) {
        List<String> s = new ArrayList<>(List.of(CommandLineWire.VERSION, buildId(env),
                Path.of("").toAbsolutePath().toString(),
                flag(0) + flag(1) + flag(2),
                System.getProperty("stdout.encoding", "UTF-8"), System.getProperty("stderr.encoding", "UTF-8"),
                Integer.toString(args.length)));
        s.addAll(List.of(args));
        s.add(Integer.toString(env.size()));
        env.forEach((k, v) -> s.add(k + "=" + v));
        return CommandLineWire.strings(s);
    }

    private static String flag(int fd) {
        Boolean t = Terminals.isTerminal(fd);
        return t != null && t ? "1" : "0";
    }

    /** The same identity as acpx-core's AcpxVersion.buildId(), from the same build.properties. */
    static String buildId(Map<String, String> env) {
        String override = env.get("ACPX_TEST_BUILD_ID");
        if (override != null && !override.isBlank()) {
            return override.strip();
        }
        Properties p = new Properties();
        try (InputStream in = ThinClient.class.getResourceAsStream("/dev/acpx/api/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no identity: the daemon answers "another build" and the command runs in this process
        }
        String v = p.getProperty("version", "0.0.0");
        v = v.endsWith("-SNAPSHOT") ? v.substring(0, v.length() - "-SNAPSHOT".length()) : v;
        return p.getProperty("build", "unknown") + "/" + v;
    }

    /** Reads the caller's stdin only when the command asks, on a thread of its own (a read may block). */
    private static final class StdinPump {
        private final CommandLineWire wire;
        private final InputStream stdin = new FileInputStream(FileDescriptor.in);
        private final java.util.concurrent.LinkedBlockingQueue<Integer> asks = new java.util.concurrent.LinkedBlockingQueue<>();
        private Thread reader;

        StdinPump(CommandLineWire wire) {
            this.wire = wire;
        }

        /** The daemon wants at most {@code max} bytes; answered in order, one read each. */
        void want(int max) {
            if (reader == null) {
                reader = Thread.ofPlatform().daemon().name("acpx-thin-stdin").start(this::serve);
            }
            asks.add(max);
        }

        private void serve() {
            try {
                while (true) {
                    int max = asks.take();
                    byte[] buf = new byte[Math.max(1, Math.min(max, 64 * 1024))];
                    int n;
                    try {
                        n = stdin.read(buf);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        wire.send(CommandLineWire.STDIN_END, buf, 0, 0);
                    } else {
                        wire.send(CommandLineWire.STDIN, buf, 0, n);
                    }
                }
            } catch (InterruptedException | IOException e) {
                // the command ended, or the daemon is gone: the relay loop notices
            }
        }
    }
}
