package dev.acpx.e2e;

import org.junit.jupiter.api.BeforeEach;

/**
 * {@link OwnerBuildTest}'s scenarios with the per-user daemon on: a session hosted by a daemon of
 * another build is retired with that daemon and served by one of this build; same assertions.
 */
class OwnerBuildOnDaemonTest extends OwnerBuildTest {
    @BeforeEach
    void daemonOn() {
        acpx.env.put("ACPX_DAEMON", "1");
    }
}
