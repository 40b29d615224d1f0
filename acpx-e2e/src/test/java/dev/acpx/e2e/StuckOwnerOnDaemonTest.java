package dev.acpx.e2e;

import org.junit.jupiter.api.BeforeEach;

/**
 * {@link StuckOwnerTest}'s scenarios with the per-user daemon on: the session's owner is then the
 * daemon, so a SIGSTOPped daemon must be bounded by --timeout, replaced by a caller that can wait
 * (a new daemon reconnects the session), and Ctrl+C must still exit at once; same assertions.
 */
class StuckOwnerOnDaemonTest extends StuckOwnerTest {
    @BeforeEach
    void daemonOn() {
        acpx.env.put("ACPX_DAEMON", "1");
    }
}
