package dev.acpx.core.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.journal.JournalFiles;
import dev.acpx.core.lifecycle.PrivateFiles;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code sessions import}: a format_version 1 archive (ours or the Node acpx's) as a new open
 * record of this home (SPEC-P2 §2.2). Better than the Node acpx: the history is written behind a
 * segment anchor, so {@code sessions watch} shows it, and a second import of the same archive names
 * the record that already holds its provider session.
 */
public final class SessionImport {
    /** What was imported. */
    public record Imported(String recordId, String cwd) {}

    private static final List<String> CLEARED = List.of("closed_at", "pid", "agent_started_at", "last_agent_exit_code",
            "last_agent_exit_signal", "last_agent_exit_at", "last_agent_disconnect_reason", "closed_reason",
            "owner_pid", "owner_started_at", "agent_pid_started_at");

    private final SessionStore store;
    private final ObjectMapper mapper;
    private final Path home;

    public SessionImport(SessionStore store, ObjectMapper mapper, Path home) {
        this.store = store;
        this.mapper = mapper;
        this.home = home;
    }

    /**
     * Imports {@code archive}; {@code name}/{@code cwd} override the archive's (cwd absolute);
     * {@code agentCommand} (with the agent's name, null for a raw command) is the destination agent.
     */
    public Imported importArchive(Path archive, String name, Path cwd, String agentCommand, String agentName) {
        ObjectNode root = parse(archive);
        ObjectNode session = (ObjectNode) root.get("session");
        ObjectNode state = session.get("state") instanceof ObjectNode o ? o.deepCopy() : null;
        if (state == null || !SessionRecord.SCHEMA.equals(state.path("schema").textValue())
                || !state.path("acpx_record_id").isTextual() || !state.path("acp_session_id").isTextual()
                || !state.path("agent_command").isTextual() || !state.path("cwd").isTextual()) {
            throw ArchiveErrors.usage("Invalid session export archive: session.state is not a session record", "invalid-archive");
        }
        checkAgent(session, state, agentCommand, agentName);
        String newId = freshId();
        String cwdRelative = session.get("cwd_relative").textValue();
        String dir = cwd != null ? cwd.toString()
                : Path.of(cwdRelative).isAbsolute() ? cwdRelative : home.resolve(cwdRelative).normalize().toString();
        String finalName = name != null ? name : session.get("name").textValue();
        JsonNode history = root.get("history");
        ObjectNode record = state;
        record.put("acpx_record_id", newId);
        record.put("agent_command", agentCommand != null ? agentCommand : state.get("agent_command").textValue());
        record.put("cwd", dir);
        if (finalName == null) record.remove("name"); else record.put("name", finalName);
        record.put("closed", false);
        record.remove(CLEARED);
        ObjectNode oldLog = state.get("event_log") instanceof ObjectNode l ? l : mapper.createObjectNode();
        ObjectNode log = mapper.createObjectNode();
        JournalFiles files = new JournalFiles(store.sessionsDir(), newId);
        log.put("active_path", files.active().toString());
        log.put("segment_count", history.isEmpty() ? oldLog.path("segment_count").asInt(JournalFiles.DEFAULT_MAX_SEGMENTS) : 1);
        log.put("max_segment_bytes", oldLog.path("max_segment_bytes").asLong(JournalFiles.DEFAULT_MAX_SEGMENT_BYTES));
        log.put("max_segments", oldLog.path("max_segments").asInt(JournalFiles.DEFAULT_MAX_SEGMENTS));
        log.putNull("last_write_error");
        record.set("event_log", log);
        ObjectNode from = record.putObject("imported_from");
        from.put("record_id", session.get("record_id").textValue());
        from.set("cwd_original", session.has("cwd_original") ? session.get("cwd_original") : session.get("cwd_relative"));
        from.set("exported_by", root.get("exported_by"));
        from.set("exported_at", root.get("exported_at"));
        SessionRecord imported = new SessionRecord(record);
        checkConflicts(imported);
        store.save(imported);
        if (!history.isEmpty()) {
            writeHistory(files, imported, history);
        }
        return new Imported(newId, dir);
    }

    private ObjectNode parse(Path archive) {
        String raw;
        try {
            raw = Files.readString(archive, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "ENOENT: no such file or directory, open '" + archive + "'");
        } catch (IOException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "cannot read " + archive + ": " + e.getMessage());
        }
        JsonNode v;
        try {
            v = mapper.readTree(raw);
        } catch (JsonProcessingException e) {
            throw ArchiveErrors.usage("Invalid session export archive JSON: " + e.getOriginalMessage(), "invalid-archive");
        }
        JsonNode version = v == null ? null : v.get("format_version");
        if (version == null || !version.isIntegralNumber() || version.intValue() != 1) {
            String shown = version == null ? "undefined" : version.isTextual() ? version.textValue() : version.toString();
            throw ArchiveErrors.usage("Unsupported session export format_version " + shown
                    + "; supported version is 1", "unsupported-format-version");
        }
        ArchiveSchema.check(v);
        return (ObjectNode) v;
    }

    private static final Pattern PI = Pattern.compile("(?:^|\\s)pi-acp(?:@|\\s|$)");
    private static final Pattern CODEX = Pattern.compile("(?:^|\\s)@agentclientprotocol/codex-acp(?:@|\\s|$)");
    private static final Pattern CLAUDE = Pattern.compile("(?:^|\\s)@agentclientprotocol/claude-agent-acp(?:@|\\s|$)");

    /** The Node acpx's agent check: both commands match (or look like the named built-in), and the names agree. */
    private static void checkAgent(ObjectNode session, ObjectNode state, String expected, String expectedName) {
        if (expected == null) {
            return;
        }
        String name = SessionExport.normalizeAgentName(expectedName);
        String archiveName = SessionExport.normalizeAgentName(session.path("agent_name").textValue());
        String archiveCommand = session.get("agent").textValue();
        String stateCommand = state.get("agent_command").textValue();
        boolean commands = commandMatches(archiveCommand, expected, name) && commandMatches(stateCommand, expected, name);
        boolean names = (archiveCommand.equals(expected) && stateCommand.equals(expected))
                || archiveName == null || name == null || archiveName.equals(name);
        if (!commands || !names) {
            throw ArchiveErrors.usage("Session export archive agent does not match the requested agent", "agent-mismatch");
        }
    }

    private static boolean commandMatches(String archived, String expected, String name) {
        if (archived.equals(expected)) {
            return true;
        }
        String c = archived.trim();
        return name != null && switch (name) {
            case "pi" -> PI.matcher(c).find();
            case "codex" -> CODEX.matcher(c).find();
            case "claude" -> CLAUDE.matcher(c).find();
            default -> false;
        };
    }

    private void checkConflicts(SessionRecord imported) {
        List<SessionRecord> all = store.list().records();
        if (all.stream().anyMatch(r -> !r.closed() && Objects.equals(r.agentCommand(), imported.agentCommand())
                && Objects.equals(r.cwd(), imported.cwd()) && Objects.equals(r.name(), imported.name()))) {
            throw ArchiveErrors.usage("A session already exists for the import destination scope; pass --name or --cwd"
                    + " to import a separate copy", "session-scope-exists");
        }
        Optional<SessionRecord> same = all.stream()
                .filter(r -> Objects.equals(r.acpSessionId(), imported.acpSessionId())).findFirst();
        if (same.isPresent()) {
            // Ours names the record (the Node acpx does not): the archive was most likely imported already.
            throw ArchiveErrors.usage("A local session already uses this provider session id (record "
                    + same.get().acpxRecordId() + "); prune or remove the existing record before importing this archive",
                    "session-provider-exists");
        }
    }

    /** The history behind an anchor whose counters end where the record's last_seq says. */
    private void writeHistory(JournalFiles files, SessionRecord record, JsonNode history) {
        long lastSeq = record.json().path("last_seq").asLong(history.size());
        ObjectNode anchor = mapper.createObjectNode();
        anchor.put("schema", "acpx.session.journal.v1");
        anchor.put("type", "segment");
        anchor.put("record_id", record.acpxRecordId());
        anchor.put("sequence", 0);
        anchor.put("message_sequence", Math.max(0, lastSeq - history.size()));
        anchor.putNull("request_id");
        StringBuilder b = new StringBuilder(anchor.toString()).append('\n');
        history.forEach(m -> b.append(m.toString()).append('\n'));
        try {
            PrivateFiles.write(files.active(), b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "cannot write " + files.active() + ": " + e.getMessage());
        }
    }

    private String freshId() {
        while (true) {
            String id = UUID.randomUUID().toString();
            if (!Files.exists(store.sessionsDir().resolve(id + ".json"))) {
                return id;
            }
        }
    }
}
