package dev.acpx.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.lifecycle.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: caller JVMs racing to start one owner JVM, and an owner killed mid-turn. */
class OwnerProcessTest {

    @TempDir
    Path home;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    @Timeout(240)
    void twentyCallerProcessesRacingConnectOrStartAreAllServedByExactlyOneOwner() throws Exception {
        String record = "race-record";
        Path runLog = home.resolve("runs.log");
        List<ChildJvm> callers = new ArrayList<>();
        try {
            Path go = home.resolve("go");
            for (int i = 0; i < 20; i++) {
                callers.add(ChildJvm.start(RaceCallerMain.class, home.toString(), record, "turn " + i,
                        runLog.toString(), "50", "10000", go.toString()));
            }
            // Every caller JVM is up before any races: on a loaded host they start seconds apart.
            for (int i = 0; i < 20; i++) {
                assertEquals("READY", callers.get(i).readLine(180), "caller " + i);
            }
            Files.createFile(go);
            for (int i = 0; i < 20; i++) {
                assertEquals("OK end_turn turn " + i, callers.get(i).readLine(180), "caller " + i);
                assertEquals(0, callers.get(i).process().waitFor());
            }
        } finally {
            for (ChildJvm caller : callers) {
                caller.close();
            }
        }
        List<String> lines = Files.readAllLines(runLog);
        Set<String> pids = new HashSet<>();
        Set<String> prompts = new HashSet<>();
        String open = null;
        for (String line : lines.subList(0, 40)) {
            String[] parts = line.split(" ", 3);
            pids.add(parts[0]);
            if (parts[1].equals("start")) {
                assertEquals(null, open, "a turn started while another ran: " + lines);
                open = parts[2];
                prompts.add(parts[2]);
            } else {
                assertEquals("end", parts[1], line);
                assertEquals(open, parts[2], "turns must end in the order they started");
                open = null;
            }
        }
        assertEquals(1, pids.size(), "exactly one owner process ran turns: " + pids);
        assertEquals(20, prompts.size());
        QueuePaths paths = new QueuePaths(home);
        String ownerLog = Files.readString(paths.log(record));
        assertEquals(1, ownerLog.split("ready for session", -1).length - 1, ownerLog);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.log(record))));
        // TTL 10 s after the last turn (long enough that slow-starting callers on a loaded host still find it): the owner closes its host, removes its socket and exits.
        long ownerPid = Long.parseLong(pids.iterator().next());
        assertTrue(waitFor(Duration.ofSeconds(60), () -> ProcessHandle.of(ownerPid).isEmpty()
                || !ProcessHandle.of(ownerPid).get().isAlive()), "owner exited after its TTL");
        assertTrue(Files.readString(runLog).contains(ownerPid + " close ttl_expired"));
        assertFalse(Files.exists(paths.socket(record)));
    }

    @Test
    @Timeout(120)
    void anOwnerKilledMidTurnFailsTheCallerPromptlyAndIsReplacedByTheNextCaller() throws Exception {
        String record = "killed-record";
        Path runLog = home.resolve("runs.log");
        QueuePaths paths = new QueuePaths(home);
        OwnerLaunch launch = new OwnerLaunch(home, record, OwnerSettings.of(16, Duration.ZERO));
        OwnerSpawner spawner = new DetachedSpawner(paths, id -> RaceCallerMain.ownerArgv(runLog.toString(), "60000", launch));
        OwnerLauncher launcher = new OwnerLauncher(paths, mapper, java.time.Clock.systemUTC());
        OwnerClient client = launcher.connectOrStart(record, spawner, Duration.ofSeconds(60));
        long ownerPid = client.status().ownerPid();
        try {
            CompletableFuture<Object> turn = CompletableFuture.supplyAsync(
                    () -> client.submit(TurnRequest.of("doomed"), false, e -> { }), r -> Thread.ofVirtual().start(r));
            assertTrue(waitFor(Duration.ofSeconds(20), () -> contains(runLog, "start doomed")));
            ProcessHandle.of(ownerPid).orElseThrow().destroyForcibly();
            long killedAt = System.nanoTime();
            Exception e = assertThrows(Exception.class, () -> turn.get(10, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(5), "the caller fails promptly");
            AcpxException failure = (AcpxException) e.getCause();
            assertEquals(ErrorKind.RUNTIME, failure.kind());
            assertTrue(failure.getMessage().contains("the queue owner for session " + record
                    + " exited during the turn"), failure.getMessage());

            // The dead owner left its socket file; the next caller starts a new owner that replaces it.
            OwnerClient again = launcher.connectOrStart(record, spawner, Duration.ofSeconds(60));
            long newPid = again.status().ownerPid();
            assertTrue(newPid != ownerPid);
            ownerPid = newPid;
            assertEquals(null, again.submit(TurnRequest.of("survivor"), true, ev -> { }));
            assertTrue(waitFor(Duration.ofSeconds(20), () -> contains(runLog, newPid + " start survivor")));
            assertEquals("running", again.status().state());
            // SIGTERM: the owner closes its host (agent tree) and exits.
            ProcessHandle owner = ProcessHandle.of(newPid).orElseThrow();
            owner.destroy();
            assertTrue(owner.onExit().toCompletableFuture().get(20, TimeUnit.SECONDS) != null);
            assertTrue(contains(runLog, newPid + " close owner_terminated"), Files.readString(runLog));
            assertFalse(Files.exists(paths.socket(record)));
        } finally {
            ProcessHandle.of(ownerPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.exists(file) && Files.readString(file).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean waitFor(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
