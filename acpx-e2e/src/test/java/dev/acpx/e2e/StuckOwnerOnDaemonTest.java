package dev.acpx.e2e;

import org.junit.jupiter.api.BeforeEach;

/**
 * {@link StuckOwnerTest}'s scenarios with the per-user daemon on: the session's owner is then the
 * daemon, which also runs the commands thin clients forward, so a SIGSTOPped daemon must be bounded
 * by --timeout (a daemon that does not answer leaves the command to the full CLI in the caller's
 * process), replaced by a caller that can wait (a new daemon reconnects the session), and Ctrl+C
 * must still exit at once; the same assertions, save the words of a caller whose daemon was stopped
 * in the middle of its command (the thin client kills it: it can no longer answer anyone).
 */
class StuckOwnerOnDaemonTest extends StuckOwnerTest {
    @BeforeEach
    void daemonOn() {
        acpx.env.put("ACPX_DAEMON", "1");
    }

    @Override
    String stoppedDuringTurnSays() {
        return "was stopped (SIGSTOP) while running this command; it was killed with its agents";
    }
}
