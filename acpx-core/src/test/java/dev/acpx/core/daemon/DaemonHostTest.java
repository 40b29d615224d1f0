package dev.acpx.core.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxVersion;
import dev.acpx.core.lifecycle.HostFileLock;
import dev.acpx.core.process.ProcessSupervisor;
import dev.acpx.core.queue.OwnerLaunch;
import dev.acpx.core.queue.OwnerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's own socket, in process: it answers its build and refuses others, holds the one
 * daemon lock of the home, refuses a session of another home, and leaves (socket, identity and
 * lock released) once it has hosted nothing for its linger time.
 */
@Timeout(60)
class DaemonHostTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;
    Path acpxHome;
    DaemonPaths paths;
    ProcessSupervisor supervisor;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        acpxHome = Files.createDirectory(tmp.resolve(".acpx"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        paths = DaemonPaths.of(acpxHome);
        supervisor = new ProcessSupervisor();
    }

    @AfterEach
    void tearDown() {
        supervisor.close();
    }

    private DaemonHost start(Duration linger) {
        return DaemonHost.start(paths, MAPPER, Clock.systemUTC(), supervisor, linger,
                new PrintStream(log, true)).orElseThrow();
    }

    @Test
    void answersItsBuildRefusesAnotherAndIsTheOnlyDaemonOfTheHome() throws Exception {
        DaemonHost daemon = start(Duration.ofMinutes(5));
        try {
            DaemonClient client = new DaemonClient(paths, MAPPER);
            DaemonReply mine = assertInstanceOf(DaemonClient.Exchange.Answer.class,
                    client.ping(AcpxVersion.buildId(), Duration.ofSeconds(10))).reply();
            assertTrue(mine.ok(), mine::toString);
            assertEquals(ProcessHandle.current().pid(), mine.pid());
            DaemonReply other = assertInstanceOf(DaemonClient.Exchange.Answer.class,
                    client.ping("another-build", Duration.ofSeconds(10))).reply();
            assertFalse(other.ok());
            assertTrue(other.otherBuild(), other::toString);

            assertEquals(Optional.empty(), DaemonHost.start(paths, MAPPER, Clock.systemUTC(), supervisor,
                    Duration.ofMinutes(5), new PrintStream(log, true)), "a second daemon of the home does not start");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.directory())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.socket())));
            assertTrue(Files.readString(paths.identity()).startsWith(ProcessHandle.current().pid() + " "));
        } finally {
            daemon.shutdown("test over");
        }
        assertEquals("test over", daemon.exited().get(10, TimeUnit.SECONDS));
    }

    @Test
    void refusesASessionOfAnotherHome() throws Exception {
        DaemonHost daemon = start(Duration.ofMinutes(5));
        try {
            List<String> launch = new OwnerLaunch(tmp.resolve("elsewhere/.acpx"), "r1",
                    OwnerSettings.of(4, Duration.ofSeconds(30)), List.of("true")).toArgs();
            DaemonReply reply = assertInstanceOf(DaemonClient.Exchange.Answer.class, new DaemonClient(paths, MAPPER)
                    .host(AcpxVersion.buildId(), launch, Map.of(), Duration.ofSeconds(10))).reply();
            assertFalse(reply.ok(), reply::toString);
            assertTrue(reply.message().contains("serves " + acpxHome.toAbsolutePath().normalize()), reply.message());
        } finally {
            daemon.shutdown("test over");
        }
    }

    @Test
    void leavesWhenNothingWasHostedForItsLinger() throws Exception {
        DaemonHost daemon = start(Duration.ofMillis(300));
        assertEquals("idle: no session hosted", daemon.exited().get(20, TimeUnit.SECONDS));
        assertFalse(Files.exists(paths.socket()), "socket removed");
        assertFalse(Files.exists(paths.identity()), "identity removed");
        assertFalse(HostFileLock.isHeld(paths.lock()), "lock released");
        assertInstanceOf(DaemonClient.Exchange.Absent.class,
                new DaemonClient(paths, MAPPER).ping(AcpxVersion.buildId(), Duration.ofSeconds(5)));
        assertTrue(log.toString().contains("exited: idle"), log::toString);
    }

    @Test
    void theSwitchFollowsEnvThenTheUsersConfig() throws Exception {
        assertFalse(DaemonSwitch.enabled(Map.of(), acpxHome, MAPPER), "off by default");
        Files.writeString(acpxHome.resolve("config.json"), "{\"daemon\": true}");
        assertTrue(DaemonSwitch.enabled(Map.of(), acpxHome, MAPPER));
        assertFalse(DaemonSwitch.enabled(Map.of("ACPX_DAEMON", "0"), acpxHome, MAPPER), "ACPX_DAEMON=0 wins");
        Files.writeString(acpxHome.resolve("config.json"), "{\"daemon\": \"yes\"}");
        assertFalse(DaemonSwitch.enabled(Map.of(), acpxHome, MAPPER), "only a JSON true turns it on");
        assertTrue(DaemonSwitch.enabled(Map.of("ACPX_DAEMON", "1"), acpxHome, MAPPER));
    }
}
