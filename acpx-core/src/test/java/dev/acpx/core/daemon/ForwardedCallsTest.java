package dev.acpx.core.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxVersion;
import dev.acpx.api.CommandLineWire;
import dev.acpx.core.process.ProcessSupervisor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's side of a forwarded command, spoken to frame by frame as the thin client does:
 * arguments, directory, terminal facts and environment reach the command; stdin is asked for only
 * when the command reads; stdout, stderr and the exit code come back; a signal reaches the handler
 * the command set, and a caller that disappears counts as SIGTERM; a caller of another build is
 * told so and the daemon leaves.
 */
@Timeout(60)
class ForwardedCallsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;
    DaemonPaths paths;
    ProcessSupervisor supervisor;
    DaemonHost daemon;

    @BeforeEach
    void setUp() throws Exception {
        Path acpxHome = Files.createDirectory(tmp.resolve(".acpx"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        paths = DaemonPaths.of(acpxHome);
        supervisor = new ProcessSupervisor();
        daemon = DaemonHost.start(paths, MAPPER, Clock.systemUTC(), supervisor, Duration.ofSeconds(30),
                Duration.ofSeconds(30), new PrintStream(new ByteArrayOutputStream(), true)).orElseThrow();
    }

    @AfterEach
    void tearDown() {
        daemon.shutdown("test over");
        supervisor.close();
    }

    /** One connection, as the thin client holds it. */
    private final class Client implements AutoCloseable {
        final CommandLineWire wire;
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        final List<Integer> stdinAsks = new ArrayList<>();

        Client(String build, String... args) throws IOException {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(paths.socket()));
            wire = new CommandLineWire(channel);
            List<String> s = new ArrayList<>(List.of(CommandLineWire.VERSION, build, tmp.toString(), "101", "UTF-8",
                    "UTF-8", Integer.toString(args.length)));
            s.addAll(List.of(args));
            s.addAll(List.of("1", "SCRIPTED=yes"));
            send(CommandLineWire.HELLO, CommandLineWire.strings(s));
        }

        void send(byte type, byte[] payload) throws IOException {
            wire.send(type, payload);
        }

        CommandLineWire.Frame next() throws IOException {
            return wire.read();
        }

        /** Reads frames up to the exit, answering stdin asks from {@code stdin}; returns the exit code. */
        int finish(String stdin) throws IOException {
            byte[] left = stdin.getBytes(StandardCharsets.UTF_8);
            CommandLineWire.Frame f;
            while ((f = next()) != null) {
                switch (f.type()) {
                    case CommandLineWire.ACCEPTED, CommandLineWire.KEEPALIVE -> { }
                    case CommandLineWire.STDOUT -> stdout.writeBytes(f.payload());
                    case CommandLineWire.STDERR -> stderr.writeBytes(f.payload());
                    case CommandLineWire.STDIN_WANTED -> {
                        stdinAsks.add(f.number());
                        int n = Math.min(f.number(), left.length);
                        if (n == 0) {
                            send(CommandLineWire.STDIN_END, new byte[0]);
                        } else {
                            byte[] chunk = java.util.Arrays.copyOf(left, n);
                            left = java.util.Arrays.copyOfRange(left, n, left.length);
                            send(CommandLineWire.STDIN, chunk);
                        }
                    }
                    case CommandLineWire.EXIT -> {
                        return f.number();
                    }
                    default -> throw new AssertionError("unexpected frame " + (char) f.type());
                }
            }
            throw new AssertionError("no exit frame");
        }

        String out() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return stderr.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            wire.close();
        }
    }

    @Test
    void theCommandSeesItsCallerAndAnswersWithItsStreamsAndExitCode() throws Exception {
        try (Client c = new Client(AcpxVersion.buildId(), "echo", "hello", "there")) {
            assertEquals(0, c.finish(""));
            assertEquals("hello there @ " + tmp + " tty=truetrue env=yes\n", c.out());
            assertEquals(List.of(), c.stdinAsks, "a command that reads no stdin asks for none");
        }
        try (Client c = new Client(AcpxVersion.buildId(), "exit", "4")) {
            assertEquals(4, c.finish(""));
            assertEquals("leaving with 4\n", c.err());
        }
    }

    @Test
    void aCommandThatEndsAtOnceAlwaysDeliversItsExitCode() throws Exception {
        // A usage error ends before the daemon's reader starts: the exit code must still arrive (it
        // was dropped now and then when the reader, seeing the command ended, closed the connection
        // between the command's end and its exit frame).
        for (int i = 0; i < 300; i++) {
            try (Client c = new Client(AcpxVersion.buildId(), "exit", "2")) {
                assertEquals(2, c.finish(""), "run " + i);
                assertEquals("leaving with 2\n", c.err(), "run " + i);
            }
        }
    }

    @Test
    void cleanupLeftForAfterTheAnswerRunsAfterTheExitCodeAndBeforeTheCallCountsAsDone() throws Exception {
        try (Client c = new Client(AcpxVersion.buildId(), "later")) {
            // The cleanup is still blocked: the exit code must arrive regardless.
            assertEquals(0, c.finish(""));
            assertEquals("answered\n", c.out());
            assertEquals(1, ScriptedCommandLine.cleanupDone.getCount(), "the cleanup waits after the answer");
            assertEquals(1, daemon.activeCalls(), "the call is not done while its cleanup runs");
        }
        ScriptedCommandLine.releaseCleanup.countDown();
        assertTrue(ScriptedCommandLine.cleanupDone.await(10, java.util.concurrent.TimeUnit.SECONDS));
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (daemon.activeCalls() != 0 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(0, daemon.activeCalls(), "done once the cleanup ran");
    }

    @Test
    void stdinIsAskedForAsTheCommandReads() throws Exception {
        String text = "x".repeat(200_000) + "\nend\n";
        try (Client c = new Client(AcpxVersion.buildId(), "cat")) {
            assertEquals(0, c.finish(text));
            assertEquals(text, c.out());
            assertTrue(c.stdinAsks.size() >= 2, "read in pieces, each asked for: " + c.stdinAsks);
            assertTrue(c.stdinAsks.stream().allMatch(n -> n > 0 && n <= 64 * 1024), c.stdinAsks::toString);
        }
    }

    @Test
    void signalsReachTheCommandAndACallerThatLeftCountsAsTerm() throws Exception {
        try (Client c = new Client(AcpxVersion.buildId(), "wait")) {
            CommandLineWire.Frame f;
            while ((f = c.next()).type() != CommandLineWire.STDOUT) {
                assertTrue(f.type() == CommandLineWire.ACCEPTED || f.type() == CommandLineWire.KEEPALIVE);
            }
            c.send(CommandLineWire.SIGNAL, "INT".getBytes(StandardCharsets.UTF_8));
            assertEquals(130, c.finish(""));
            assertEquals("got INT\n", c.err());
        }
        ScriptedCommandLine.lastSignal = null;
        try (Client c = new Client(AcpxVersion.buildId(), "wait")) {
            CommandLineWire.Frame f;
            while ((f = c.next()).type() != CommandLineWire.STDOUT) {
                assertTrue(f.type() == CommandLineWire.ACCEPTED || f.type() == CommandLineWire.KEEPALIVE);
            }
        }
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ScriptedCommandLine.lastSignal == null && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals("TERM", ScriptedCommandLine.lastSignal, "the command of a caller that left got TERM");
    }

    @Test
    void theWireNamesTheDaemonsEntryPoint() {
        assertEquals(DaemonMain.class.getName(), CommandLineWire.DAEMON_MAIN);
    }

    @Test
    void aCallerOfAnotherBuildIsToldSoAndTheDaemonLeaves() throws Exception {
        try (Client c = new Client("another-build", "echo", "x")) {
            CommandLineWire.Frame f = c.next();
            assertEquals(CommandLineWire.OTHER_BUILD, f.type());
            assertEquals(AcpxVersion.buildId(), f.text());
            assertNull(c.next(), "the daemon closed the connection");
        }
        assertEquals("retired: a caller runs another acpx build",
                daemon.exited().get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(Files.notExists(paths.socket()), "its socket is gone");
    }
}
