package dev.acpx.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Election and retry with owners embedded in this JVM (the spawner starts an OwnerServer directly). */
@Timeout(60)
class OwnerLauncherTest {

    private static final String RECORD = "launch-rec";

    @TempDir
    Path home;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<OwnerServer> owners = new CopyOnWriteArrayList<>();
    private final List<FakeSessionHost> hosts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopOwners() throws Exception {
        for (OwnerServer owner : owners) {
            owner.shutdown("test_end");
            owner.awaitExit(Duration.ofSeconds(10));
        }
    }

    private OwnerSpawner inJvm(Duration ttl, AtomicInteger spawns) {
        return recordId -> {
            spawns.incrementAndGet();
            FakeSessionHost host = new FakeSessionHost(10);
            hosts.add(host);
            OwnerServer.start(new QueuePaths(home), recordId, OwnerSettings.of(16, ttl), journal -> host, mapper,
                    Clock.systemUTC()).ifPresent(owners::add);
            return ProcessHandle.current();
        };
    }

    @Test
    void startsAnOwnerWhenNoneAnswersAndReusesItAfterwards() {
        AtomicInteger spawns = new AtomicInteger();
        OwnerLauncher launcher = new OwnerLauncher(new QueuePaths(home), mapper, Clock.systemUTC());
        OwnerClient first = launcher.connectOrStart(RECORD, inJvm(Duration.ZERO, spawns), Duration.ofSeconds(10));
        OwnerClient second = launcher.connectOrStart(RECORD, inJvm(Duration.ZERO, spawns), Duration.ofSeconds(10));
        assertEquals(1, spawns.get());
        // Both owners would report this JVM's pid, so pids prove nothing here: the turns of both
        // clients must reach the one host the single spawn created.
        first.submit(TurnRequest.of("via first"), false, e -> { });
        second.submit(TurnRequest.of("via second"), false, e -> { });
        assertEquals(1, owners.size());
        assertEquals(1, hosts.size());
        assertEquals(List.of("via first", "via second"), hosts.getFirst().prompts);
    }

    @Test
    void aTurnSubmittedAfterTheOwnerIdledOutRunsOnANewOwner() throws Exception {
        AtomicInteger spawns = new AtomicInteger();
        OwnerLauncher launcher = new OwnerLauncher(new QueuePaths(home), mapper, Clock.systemUTC());
        // Long enough that the owner cannot idle out between the caller's ping and its turn on a
        // loaded machine (at 200 ms it sometimes did, and the first turn went to a second owner).
        OwnerSpawner spawner = inJvm(Duration.ofSeconds(1), spawns);
        TurnResult one = launcher.submit(RECORD, spawner, Duration.ofSeconds(10), OwnerClient.newRequestId(),
                TurnRequest.of("one"), false, e -> { });
        assertEquals(StopReason.END_TURN, one.stopReason());
        // On a loaded host the first owner may idle out (200 ms from its start) before "one" reaches
        // it, and "one" then runs on a second owner: wait for every owner so far to idle out.
        for (OwnerServer owner : List.copyOf(owners)) {
            assertEquals("ttl_expired", owner.exited().get(10, TimeUnit.SECONDS));
        }
        int before = spawns.get();
        TurnResult two = launcher.submit(RECORD, spawner, Duration.ofSeconds(10), OwnerClient.newRequestId(),
                TurnRequest.of("two"), false, e -> { });
        assertEquals(StopReason.END_TURN, two.stopReason());
        assertTrue(spawns.get() > before, "a new owner was started for the turn after the idle-out");
        assertEquals(List.of("two"), hosts.getLast().prompts);
    }

    @Test
    void aRetiringOwnerRefusesNewTurnsAsRetryable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        QueuePaths paths = new QueuePaths(home);
        OwnerServer owner = OwnerServer.start(paths, RECORD, OwnerSettings.of(16, Duration.ZERO), journal -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new FakeSessionHost(0);
        }, mapper, Clock.systemUTC()).orElseThrow();
        owners.add(owner);
        OwnerClient client = new OwnerClient(paths, RECORD, mapper);
        assertTrue(client.ping());
        owner.shutdown("owner_terminated");
        assertThrows(OwnerRetiringException.class, () -> client.submit(TurnRequest.of("late"), false, e -> { }));
        OwnerRetiringException e = assertThrows(OwnerRetiringException.class, () -> client.setMode("code"));
        assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
        release.countDown();
        assertEquals("owner_terminated", owner.exited().get(10, TimeUnit.SECONDS));
    }

    @Test
    void noOwnerWithinTheDeadlineIsAClearError() {
        OwnerLauncher launcher = new OwnerLauncher(new QueuePaths(home), mapper, Clock.systemUTC());
        AcpxException e = assertThrows(AcpxException.class,
                () -> launcher.connectOrStart(RECORD, recordId -> ProcessHandle.current(), Duration.ofMillis(300)));
        assertTrue(e.getMessage().startsWith("no queue owner answered for session " + RECORD), e.getMessage());
        assertTrue(e.getMessage().contains(".log"), e.getMessage());
    }
}
