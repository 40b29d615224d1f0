package dev.acpx.core.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether persistent sessions are hosted by the per-user daemon (opt-in in this wave): env
 * {@code ACPX_DAEMON=1|0} decides, else {@code "daemon": true} in {@code ~/.acpx/config.json}.
 * Only the user's config counts: a project's {@code .acpxrc.json} must not move the user's
 * sessions into a shared process.
 */
public final class DaemonSwitch {
    public static final String ENV = "ACPX_DAEMON";
    public static final String CONFIG_KEY = "daemon";

    private DaemonSwitch() {}

    public static boolean enabled(Map<String, String> env, Path acpxHome, ObjectMapper mapper) {
        String forced = env.get(ENV);
        if (forced != null && !forced.isBlank()) {
            String v = forced.strip().toLowerCase(java.util.Locale.ROOT);
            return v.equals("1") || v.equals("true") || v.equals("on") || v.equals("yes");
        }
        Path config = acpxHome.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return false;
        }
        try {
            JsonNode daemon = mapper.readTree(config.toFile()).path(CONFIG_KEY);
            return daemon.isBoolean() && daemon.booleanValue();
        } catch (IOException e) {
            return false; // the config loader reports a broken config on its own
        }
    }
}
