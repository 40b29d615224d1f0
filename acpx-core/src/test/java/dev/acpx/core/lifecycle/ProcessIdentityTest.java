package dev.acpx.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessIdentityTest {

    @Test
    void currentProcessIsAliveAndMatchesALookupByPid() {
        ProcessIdentity self = ProcessIdentity.current().orElseThrow();
        assertTrue(self.isAlive());
        assertEquals(self, ProcessIdentity.of(self.pid()).orElseThrow());
    }

    @Test
    void aReusedPidReadsAsDead() {
        ProcessIdentity self = ProcessIdentity.current().orElseThrow();
        ProcessIdentity impostor = new ProcessIdentity(self.pid(), self.startedAt().minus(Duration.ofMinutes(5)));
        assertFalse(impostor.isAlive());
        assertTrue(impostor.handle().isEmpty());
        // Readings of one process differ by at most the tolerance and still match.
        assertTrue(new ProcessIdentity(self.pid(), self.startedAt().plusMillis(500)).isAlive());
    }

    @Test
    void anExitedProcessIsDead() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        ProcessIdentity id = ProcessIdentity.from(p.toHandle()).orElseThrow();
        assertTrue(id.isAlive());
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertFalse(id.isAlive());
        assertTrue(ProcessIdentity.of(id.pid()).isEmpty() || !ProcessIdentity.of(id.pid()).get().equals(id));
    }

    @Test
    void startInstantIsStableAcrossJvmsOnThisPlatform() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try (ChildJvm child = ChildJvm.start(StartInstantMain.class, Long.toString(p.pid()))) {
            String seenByChild = child.readLine(60);
            assertEquals(p.toHandle().info().startInstant().orElseThrow().toString(), seenByChild);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }
}
