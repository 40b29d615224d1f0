package dev.acpx.core.daemon;

import dev.acpx.api.CommandLineCall;
import dev.acpx.api.CommandLineWire;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A command a thin client forwarded, as the command sees it: the client's arguments, directory,
 * environment and terminal; its stdout and stderr go back as frames, stdin is read from the client
 * only when the command reads it (a command that never reads stdin leaves the caller's stdin alone,
 * as in a process of its own), and the client's signals reach the handlers the command set.
 */
final class ForwardedCall implements CommandLineCall {
    private static final Map<String, Integer> SIGNALS = Map.of("HUP", 1, "INT", 2, "TERM", 15);

    private final List<String> args;
    private final Path cwd;
    private final Map<String, String> env;
    private final boolean stdinTerminal;
    private final boolean stderrTerminal;
    private final Sink sink;
    private final ForwardedStdin stdin;
    private final PrintStream stdout;
    private final PrintStream stderr;
    private final Map<String, Runnable> handlers = new ConcurrentHashMap<>();
    private final AtomicBoolean exited = new AtomicBoolean();
    private final List<Runnable> afterAnswer = new java.util.concurrent.CopyOnWriteArrayList<>();

    ForwardedCall(List<String> args, Path cwd, Map<String, String> env, boolean stdinTerminal, boolean stderrTerminal,
                  Charset outCharset, Charset errCharset, CommandLineWire wire) {
        this.args = List.copyOf(args);
        this.cwd = cwd;
        this.env = Map.copyOf(env);
        this.stdinTerminal = stdinTerminal;
        this.stderrTerminal = stderrTerminal;
        this.sink = new Sink(wire);
        this.stdin = new ForwardedStdin(sink);
        // Flushed at each line and write, as System.out is: streamed output reaches the caller as it comes.
        this.stdout = new PrintStream(new BufferedOutputStream(new FrameStream(CommandLineWire.STDOUT), 8192), true,
                outCharset);
        this.stderr = new PrintStream(new BufferedOutputStream(new FrameStream(CommandLineWire.STDERR), 8192), true,
                errCharset);
    }

    @Override public List<String> args() { return args; }
    @Override public Path cwd() { return cwd; }
    @Override public Map<String, String> environment() { return env; }
    @Override public InputStream stdin() { return stdin; }
    @Override public PrintStream stdout() { return stdout; }
    @Override public PrintStream stderr() { return stderr; }
    @Override public boolean stdinIsTerminal() { return stdinTerminal; }
    @Override public boolean stderrIsTerminal() { return stderrTerminal; }

    @Override
    public void onSignal(String name, Runnable handler) {
        handlers.put(name, handler);
    }

    @Override
    public void exit(int code) {
        if (!exited.compareAndSet(false, true)) {
            return;
        }
        stdout.flush();
        stderr.flush();
        sink.send(CommandLineWire.EXIT, CommandLineWire.number(code), 0, 4);
        sink.close();
        stdin.end();
    }

    @Override
    public void afterAnswer(Runnable cleanup) {
        afterAnswer.add(cleanup);
    }

    /** Runs what the command left for after its answer (called once the exit code is sent). */
    void runAfterAnswer() {
        for (Runnable r : afterAnswer) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // the caller has its answer; the cleanup's failure has no one to tell
            }
        }
    }

    /** Tells the client the daemon is alive while the command runs (a stopped or wedged daemon sends nothing). */
    void keepalive() {
        if (!exited.get()) {
            sink.send(CommandLineWire.KEEPALIVE, new byte[0], 0, 0);
        }
    }

    boolean exited() {
        return exited.get();
    }

    /** A signal the client got: the command's handler runs; without one, the command ends as a process would. */
    void signal(String name) {
        Runnable handler = handlers.get(name);
        if (handler == null) {
            exit(128 + SIGNALS.getOrDefault(name, 15));
            return;
        }
        Thread.ofPlatform().daemon().name("acpx-call-signal").start(handler);
    }

    /** The client is gone (killed, or its connection dropped): as SIGTERM, so a turn it waits on is cancelled. */
    void callerLeft() {
        if (exited.get()) {
            // The command ended first: exit() sends the exit code and closes the sink itself. Closing it
            // here could come between exit()'s mark and its send, and the client would get no exit code
            // (it said "the acpx daemon exited" and returned 1: seen for a fast usage error).
            return;
        }
        sink.close();
        stdin.end();
        signal("TERM");
    }

    void stdinData(byte[] bytes) {
        stdin.offer(bytes);
    }

    void stdinEnd() {
        stdin.end();
    }

    /** The socket's writing side: frames are whole, writers serialized; after the caller left, writes are dropped. */
    static final class Sink {
        private final CommandLineWire wire;
        private boolean closed;

        Sink(CommandLineWire wire) {
            this.wire = wire;
        }

        synchronized boolean send(byte type, byte[] payload, int offset, int length) {
            if (closed) {
                return false;
            }
            try {
                wire.send(type, payload, offset, length);
                return true;
            } catch (IOException e) {
                closed = true;
                return false;
            }
        }

        synchronized void close() {
            closed = true;
        }
    }

    private final class FrameStream extends OutputStream {
        private final byte type;

        FrameStream(byte type) {
            this.type = type;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // After exit the command's output is lost, as after a halt; a gone caller drops it too.
            if (!exited.get()) {
                sink.send(type, b, off, len);
            }
        }
    }
}
