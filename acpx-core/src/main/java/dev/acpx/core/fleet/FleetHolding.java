package dev.acpx.core.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.FleetOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The fleet as a holder of live sessions sees it: the pool when a fleet is configured. */
public final class FleetHolding {
    private FleetHolding() {}

    /** The fleet's pool for this process, or empty when none is configured. */
    public static Optional<FleetPool> pool(FleetOptions fromBuilder, Path userHome, Map<String, String> env,
                                           ObjectMapper mapper) {
        return FleetSettings.resolve(fromBuilder, userHome, env, mapper).map(FleetPool::new);
    }

    /** The line a holder ends with when its slot was lost: why, and that the session was ended for it. */
    public static AcpxException fenced(String reason) {
        return new AcpxException(ErrorKind.RUNTIME, reason + "; the session was ended so that the fleet limit"
                + " holds; run it again when the fleet database is reachable");
    }
}
