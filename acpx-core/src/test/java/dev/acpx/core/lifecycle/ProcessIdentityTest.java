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

    /** Regression (issue 7 kill matrix): a SIGKILLed owner stayed "running" while init had not reaped it. */
    @Test
    void anUnreapedZombieIsDead() throws Exception {
        // The parent execs into a sleep that never waits, so its exited child stays a zombie.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.3 & exec sleep 30").start();
        try {
            ProcessHandle child = null;
            for (int i = 0; i < 100 && child == null; i++) {
                child = parent.toHandle().children().findFirst().orElse(null);
                Thread.sleep(10);
            }
            assertTrue(child != null, "the background sleep never appeared");
            ProcessIdentity id = ProcessIdentity.from(child).orElseThrow();
            assertTrue(id.isAlive());
            long deadline = System.currentTimeMillis() + 10_000;
            while (!java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + id.pid() + "/stat"))
                    .matches("(?s).*\\) Z .*")) {
                assertTrue(System.currentTimeMillis() < deadline, "the child never became a zombie");
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "the JDK still calls it alive: the case this test is about");
            assertFalse(id.isAlive());
            assertTrue(id.handle().isEmpty());
        } finally {
            parent.destroyForcibly();
            parent.waitFor();
        }
    }
}
