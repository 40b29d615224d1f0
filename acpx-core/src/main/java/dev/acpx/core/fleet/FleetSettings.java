package dev.acpx.core.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.FleetOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a host's fleet settings come from: the runtime builder's {@link FleetOptions} first, else
 * {@code fleet} of {@code ~/.acpx/config.json}; {@code ACPX_FLEET_JDBC_URL} replaces the URL of
 * either. Only the user's file counts: a project's {@code .acpxrc.json} must not point a host at
 * another database (and is not read for it). The rest of the file is {@link dev.acpx.core.config}'s;
 * this reads the one key so that no JDBC class loads when it is absent.
 */
public final class FleetSettings {
    public static final String ENV_URL = "ACPX_FLEET_JDBC_URL";

    /** Stands for "no URL in the file" until the environment gives one. */
    private static final String NO_URL = "jdbc:postgresql:";

    private FleetSettings() {}

    /** The fleet this process belongs to, or empty when none is configured. */
    public static Optional<FleetOptions> resolve(FleetOptions fromBuilder, Path userHome, Map<String, String> env,
                                                 ObjectMapper mapper) {
        String envUrl = env.get(ENV_URL);
        envUrl = envUrl == null || envUrl.isBlank() ? null : envUrl.trim();
        FleetOptions base = fromBuilder != null ? fromBuilder : fromFile(userHome.resolve(".acpx/config.json"), mapper);
        if (base == null) {
            if (envUrl != null) {
                throw new AcpxException(ErrorKind.RUNTIME, ENV_URL + " is set but ~/.acpx/config.json has no"
                        + " \"fleet\": {\"maxConcurrentSessions\": N}; add it, or unset " + ENV_URL);
            }
            return Optional.empty();
        }
        if (envUrl == null && base.jdbcUrl().equals(NO_URL)) {
            throw new AcpxException(ErrorKind.RUNTIME, "~/.acpx/config.json: \"fleet\" has no \"jdbcUrl\"; add it"
                    + " (jdbc:postgresql://HOST:PORT/DB?user=...) or set " + ENV_URL);
        }
        return Optional.of(envUrl == null ? base
                : new FleetOptions(envUrl, base.maxConcurrentSessions(), base.hostName()));
    }

    /** {@code fleet} of the file; null when the file or the key is absent. */
    static FleetOptions fromFile(Path file, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Fail closed: a file that cannot be read must not switch the fleet limit off.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("");
            throw new AcpxException(ErrorKind.RUNTIME, "~/.acpx/config.json: cannot read the \"fleet\" settings ("
                    + why + ") — fix or remove the file");
        }
        JsonNode fleet = root == null ? null : root.get("fleet");
        if (fleet == null || fleet.isNull()) {
            return null;
        }
        String where = "~/.acpx/config.json: invalid \"fleet\": ";
        if (!fleet.isObject()) {
            throw new AcpxException(ErrorKind.RUNTIME, where + "expected an object {\"jdbcUrl\", "
                    + "\"maxConcurrentSessions\", \"hostName\"?} — fix the value or remove the key");
        }
        JsonNode max = fleet.get("maxConcurrentSessions");
        if (max == null || !max.canConvertToExactIntegral() || !max.canConvertToInt() || max.asInt() < 1) {
            throw new AcpxException(ErrorKind.RUNTIME, where + "\"maxConcurrentSessions\" must be a positive integer,"
                    + " got " + max + " — fix the value or remove the key");
        }
        JsonNode url = fleet.get("jdbcUrl");
        JsonNode host = fleet.get("hostName");
        if (host != null && !host.isNull() && !host.isTextual()) {
            throw new AcpxException(ErrorKind.RUNTIME, where + "\"hostName\" must be a string — fix or remove it");
        }
        String jdbcUrl = url == null || url.isNull() ? null : url.asText();
        if (jdbcUrl == null) {
            // The URL may come from the environment alone (it may carry a password).
            jdbcUrl = NO_URL;
        }
        try {
            return new FleetOptions(jdbcUrl, max.asInt(), host == null || host.isNull() ? null : host.asText());
        } catch (AcpxException e) {
            throw new AcpxException(ErrorKind.RUNTIME, where + e.getMessage());
        }
    }
}
