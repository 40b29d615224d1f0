package dev.acpx.core.session;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The key of a session: resolved agent command, absolute cwd, optional name (null = the default
 * session). Names are trimmed and a blank name means none, as in the Node acpx.
 */
public record SessionScope(String agentCommand, Path cwd, String name) {

    public SessionScope {
        Objects.requireNonNull(agentCommand, "agentCommand");
        cwd = Objects.requireNonNull(cwd, "cwd").toAbsolutePath().normalize();
        name = normalizeName(name);
    }

    /** Trimmed name, or null when absent or blank. */
    public static String normalizeName(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** True when the record is of this agent command and name (the cwd is matched by the caller). */
    boolean sameAgentAndName(SessionRecord record) {
        return agentCommand.equals(record.agentCommand()) && Objects.equals(name, record.name());
    }
}
