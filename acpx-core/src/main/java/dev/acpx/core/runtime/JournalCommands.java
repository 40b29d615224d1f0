package dev.acpx.core.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.SessionInfo;
import dev.acpx.core.archive.SessionExport;
import dev.acpx.core.archive.SessionImport;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionService;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** The runtime's journal and archive commands: sessions read/watch lookups, export, import (SPEC-P2 §1-2). */
final class JournalCommands {
    private JournalCommands() {}

    /**
     * The record of {@code sessions read|watch}: exact cwd, agent command and name (closed ones
     * too), the open one first, else the most recently used; RUNTIME error with the Node acpx's words.
     */
    static SessionInfo exactSession(SessionService s, AgentRef agent, Path cwd, String name, String agentLabel) {
        String dir = cwd.toString();
        return s.store().list().records().stream()
                .filter(r -> agent.command().equals(r.agentCommand()) && dir.equals(r.cwd())
                        && Objects.equals(name, r.name()))
                .min(Comparator.comparing(SessionRecord::closed)
                        .thenComparing(r -> r.lastUsedAt() == null ? Instant.EPOCH : r.lastUsedAt(),
                                Comparator.reverseOrder()))
                .map(s::info)
                .orElseThrow(() -> AcpxException.runtime(name == null
                        ? "No cwd session for " + dir + " and agent " + agentLabel
                        : "No named session \"" + name + "\" for cwd " + dir + " and agent " + agentLabel));
    }

    /** {@code sessions export}: the archive (format_version 1) of the scope's session, as JSON text. */
    static String exportSession(SessionService s, ObjectMapper mapper, Path userHome, AgentRef agent, Path cwd,
                                String name, Instant now) {
        SessionExport export = new SessionExport(s.store(), mapper, userHome);
        return export.archive(export.find(agent.command(), cwd, name), agent.name(), now).toString();
    }

    /** {@code sessions import}: a new open record from an archive; {@code cwd} null = the archive's. */
    static SessionInfo importSession(SessionService s, ObjectMapper mapper, Path userHome, AgentRef agent,
                                     Path archive, String name, Path cwd) {
        var imported = new SessionImport(s.store(), mapper, userHome)
                .importArchive(archive, name, cwd, agent.command(), agent.name());
        return s.info(s.store().load(imported.recordId()).orElseThrow());
    }
}
