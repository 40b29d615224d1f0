package dev.acpx.core.daemon;

import dev.acpx.api.CommandLineService;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Runs the commands thin clients forward (frames in {@link CallFrames}): one connection per
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

    /** Serves one forwarded command whose hello type byte was already read from {@code in}. */
    void serve(SocketChannel channel, DataInputStream in) throws IOException {
        OutputStream wire = new BufferedOutputStream(out(channel), 64 * 1024);
        CallFrames.Frame hello = CallFrames.readAfterType(CallFrames.HELLO, in, CallFrames.MAX_HELLO);
        List<String> s = CallFrames.strings(hello.payload());
        if (s.size() < 7 || !s.get(0).equals(CallFrames.VERSION)) {
            reply(wire, CallFrames.FALLBACK, "this acpx daemon speaks version " + CallFrames.VERSION + " of the wire");
            return;
        }
        if (!s.get(1).equals(build)) {
            // As with queue owners: a caller of another build never uses this daemon; it leaves for a new one.
            reply(wire, CallFrames.OTHER_BUILD, build);
            retire.run();
            return;
        }
        Optional<CommandLineService> cli = service();
        if (cli.isEmpty()) {
            reply(wire, CallFrames.FALLBACK, "this acpx daemon has no command line on its class path");
            return;
        }
        if (!activity.begin()) {
            reply(wire, CallFrames.FALLBACK, "this acpx daemon is leaving");
            return;
        }
        try {
            run(cli.get(), parse(s, wire), in, wire);
        } finally {
            activity.endCall();
        }
    }

    private void run(CommandLineService cli, ForwardedCall call, DataInputStream in, OutputStream wire) {
        reply(wire, CallFrames.ACCEPTED, Long.toString(pid));
        Thread command = Thread.ofPlatform().daemon().name("acpx-call").start(() -> {
            int code;
            try {
                code = cli.run(call);
            } catch (RuntimeException | Error e) {
                call.stderr().println("acpx: internal error in the acpx daemon: " + e);
                code = 1;
            }
            call.exit(code);
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
            CallFrames.Frame f;
            while (!call.exited() && (f = CallFrames.read(in)) != null) {
                switch (f.type()) {
                    case CallFrames.STDIN -> call.stdinData(f.payload());
                    case CallFrames.STDIN_END -> call.stdinEnd();
                    case CallFrames.SIGNAL -> call.signal(f.text());
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

    private ForwardedCall parse(List<String> s, OutputStream wire) throws IOException {
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

    private static void reply(OutputStream wire, byte type, String text) {
        byte[] b = CallFrames.text(text);
        try {
            synchronized (wire) {
                CallFrames.write(wire, type, b, 0, b.length);
            }
        } catch (IOException e) {
            // the client left; nothing to answer
        }
    }

    static InputStream in(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /** Writes straight to the channel (a socket channel reads and writes from two threads at once). */
    static OutputStream out(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        };
    }
}
