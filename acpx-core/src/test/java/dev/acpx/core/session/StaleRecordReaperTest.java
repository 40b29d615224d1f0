package dev.acpx.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.lifecycle.ProcessIdentity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleRecordReaperTest {

    @TempDir
    Path home;

    private SessionStore store() {
        return new SessionStore(home, new ObjectMapper(), Clock.systemUTC());
    }

    private SessionRecord record(SessionStore store, String mode, Instant lastUsed) {
        SessionRecord r = SessionRecord.create(UUID.randomUUID().toString(),
                new SessionScope("agent", Path.of("/w"), null), mode, lastUsed);
        return r;
    }

    /** A process that existed and is now gone (killed and reaped). */
    private static ProcessIdentity deadProcess() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        ProcessIdentity id = ProcessIdentity.from(p.toHandle()).orElseThrow();
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return id;
    }

    @Test
    void measuredStateFollowsTheProcessesNotTheFlags() throws Exception {
        SessionStore store = store();
        Instant now = Instant.now();
        ProcessIdentity self = ProcessIdentity.current().orElseThrow();

        SessionRecord owned = record(store, SessionRecord.MODE_PERSISTENT, now);
        owned.setOwnerPid(self.pid());
        owned.setOwnerStartedAt(self.startedAt());
        assertEquals(SessionState.RUNNING, SessionState.measure(owned));

        owned.setOwnerStartedAt(self.startedAt().minusSeconds(3600)); // same pid, other process: reused
        assertEquals(SessionState.IDLE, SessionState.measure(owned));

        ProcessIdentity dead = deadProcess();
        SessionRecord agentDead = record(store, SessionRecord.MODE_PERSISTENT, now);
        agentDead.setPid(dead.pid());
        agentDead.setAgentPidStartedAt(dead.startedAt());
        assertEquals(SessionState.IDLE, SessionState.measure(agentDead));

        store.close(agentDead, "sessions close");
        assertEquals(SessionState.CLOSED, SessionState.measure(agentDead));
        assertEquals("idle", SessionState.IDLE.wireName());
    }

    @Test
    void reapsDeadOneShotWorkAndClearsDeadPidsOfPersistentSessions() throws Exception {
        SessionStore store = store();
        Instant now = Instant.now();
        ProcessIdentity dead = deadProcess();
        ProcessIdentity self = ProcessIdentity.current().orElseThrow();

        SessionRecord zombie = record(store, SessionRecord.MODE_ONESHOT, now);
        zombie.setOwnerPid(dead.pid());
        zombie.setOwnerStartedAt(dead.startedAt());
        store.save(zombie);

        SessionRecord liveOneShot = record(store, SessionRecord.MODE_ONESHOT, now);
        liveOneShot.setOwnerPid(self.pid());
        liveOneShot.setOwnerStartedAt(self.startedAt());
        store.save(liveOneShot);

        SessionRecord oldNoPid = record(store, SessionRecord.MODE_ONESHOT, now.minus(Duration.ofHours(1)));
        store.save(oldNoPid);
        SessionRecord newNoPid = record(store, SessionRecord.MODE_ONESHOT, now);
        store.save(newNoPid);

        SessionRecord persistent = record(store, SessionRecord.MODE_PERSISTENT, now);
        persistent.setPid(dead.pid());
        persistent.setAgentPidStartedAt(dead.startedAt());
        store.save(persistent);

        StaleRecordReaper.Result result = new StaleRecordReaper(store, Duration.ofMinutes(5)).reap();

        assertEquals(List.of(persistent.acpxRecordId()), result.clearedIds());
        assertEquals(2, result.closedIds().size());
        assertTrue(result.closedIds().containsAll(List.of(zombie.acpxRecordId(), oldNoPid.acpxRecordId())));

        SessionRecord z = store.load(zombie.acpxRecordId()).orElseThrow();
        assertTrue(z.closed());
        assertTrue(z.closedAt() != null);
        assertEquals("stale: one-shot process " + dead.pid() + " is gone", z.closedReason());
        assertNull(z.ownerPid());
        assertFalse(store.load(liveOneShot.acpxRecordId()).orElseThrow().closed());
        assertFalse(store.load(newNoPid.acpxRecordId()).orElseThrow().closed());

        SessionRecord p = store.load(persistent.acpxRecordId()).orElseThrow();
        assertFalse(p.closed());
        assertNull(p.pid());
        assertEquals(StaleRecordReaper.PROCESS_GONE, p.lastAgentDisconnectReason());
        assertEquals(SessionState.IDLE, SessionState.measure(p));

        // A second pass finds nothing more to do.
        StaleRecordReaper.Result again = new StaleRecordReaper(store, Duration.ofMinutes(5)).reap();
        assertTrue(again.closedIds().isEmpty() && again.clearedIds().isEmpty());
    }

    /** Regression (issue 7): an owner SIGKILLed after a reconnect showed the previous agent's exit. */
    @Test
    void anEarlierAgentsExitIsNotReportedAsTheVanishedOnes() throws Exception {
        SessionStore store = store();
        Instant now = Instant.now();
        ProcessIdentity dead = deadProcess();
        SessionRecord r = record(store, SessionRecord.MODE_PERSISTENT, now);
        r.setLastAgentExitCode(null);
        r.setLastAgentExitSignal("SIGTERM");
        r.setLastAgentExitAt(now.minusSeconds(60));
        r.setLastAgentDisconnectReason("process_exit");
        r.setAgentStartedAt(now.minusSeconds(30)); // the reconnected agent, started after that exit
        r.setPid(dead.pid());
        r.setAgentPidStartedAt(dead.startedAt());
        store.save(r);

        SessionRecord withOwnRecordedExit = record(store, SessionRecord.MODE_PERSISTENT, now);
        withOwnRecordedExit.setAgentStartedAt(now.minusSeconds(60));
        withOwnRecordedExit.setLastAgentExitCode(3);
        withOwnRecordedExit.setLastAgentExitAt(now.minusSeconds(30));
        withOwnRecordedExit.setLastAgentDisconnectReason("process_exit");
        withOwnRecordedExit.setOwnerPid(dead.pid());
        withOwnRecordedExit.setOwnerStartedAt(dead.startedAt());
        store.save(withOwnRecordedExit);

        new StaleRecordReaper(store, Duration.ZERO).reap();

        SessionRecord after = store.load(r.acpxRecordId()).orElseThrow();
        assertEquals(StaleRecordReaper.PROCESS_GONE, after.lastAgentDisconnectReason());
        assertNull(after.lastAgentExitSignal());
        assertNull(after.lastAgentExitCode());
        assertNull(after.pid());
        SessionRecord kept = store.load(withOwnRecordedExit.acpxRecordId()).orElseThrow();
        assertEquals("process_exit", kept.lastAgentDisconnectReason());
        assertEquals(3, kept.lastAgentExitCode());
        assertNull(kept.ownerPid());
    }
}
