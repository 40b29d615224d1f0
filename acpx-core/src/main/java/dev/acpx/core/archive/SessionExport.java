package dev.acpx.core.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.core.journal.JournalFiles;
import dev.acpx.core.journal.JournalReader;
import dev.acpx.core.lifecycle.ProcessIdentity;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionStore;
import dev.acpx.core.session.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sessions export}: a session as a format_version 1 archive (SPEC-P2 §2.1): the record as
 * stored (cwd made relative to the home folder) and every ACP message its journal retains.
 */
public final class SessionExport {
    private final SessionStore store;
    private final ObjectMapper mapper;
    private final Path home;

    public SessionExport(SessionStore store, ObjectMapper mapper, Path home) {
        this.store = store;
        this.mapper = mapper;
        this.home = home;
    }

    /** The open record of the scope, else any record of it (closed too); not-found otherwise. */
    public SessionRecord find(String agentCommand, Path cwd, String name) {
        List<SessionRecord> all = store.list().records();
        String dir = cwd.toString();
        Optional<SessionRecord> open = all.stream().filter(r -> !r.closed() && matches(r, agentCommand, dir, name)).findFirst();
        return open.or(() -> all.stream().filter(r -> matches(r, agentCommand, dir, name)).findFirst())
                .orElseThrow(() -> ArchiveErrors.usage("session not found", "not-found"));
    }

    private static boolean matches(SessionRecord r, String agentCommand, String cwd, String name) {
        return agentCommand.equals(r.agentCommand()) && cwd.equals(r.cwd()) && Objects.equals(name, r.name());
    }

    /** The archive of {@code record}; refused while a live process holds the session. */
    public ObjectNode archive(SessionRecord record, String agentName, Instant now) {
        if (!record.closed() && held(record)) {
            throw ArchiveErrors.usage("session is currently locked by a running queue owner; close it first with"
                    + " `acpx sessions close`", "session-locked");
        }
        String cwdRelative = relativeToHome(record.cwd());
        ObjectNode root = mapper.createObjectNode();
        root.put("format_version", 1);
        root.put("exported_at", Timestamps.format(now));
        root.put("exported_by", "acpx");
        ObjectNode s = root.putObject("session");
        s.put("record_id", record.acpxRecordId());
        if (record.name() == null) s.putNull("name"); else s.put("name", record.name());
        s.put("agent", record.agentCommand());
        String normalized = normalizeAgentName(agentName);
        if (normalized != null) s.put("agent_name", normalized);
        s.put("cwd_relative", cwdRelative);
        s.put("cwd_original", cwdRelative);
        s.set("created_at", record.json().get("created_at"));
        s.set("updated_at", record.json().get("last_used_at"));
        ObjectNode state = record.json().deepCopy();
        state.put("cwd", cwdRelative);
        if (state.get("event_log") instanceof ObjectNode log) {
            log.put("active_path", ".stream.ndjson");
        }
        s.set("state", state);
        ArrayNode history = root.putArray("history");
        int max = record.json().path("event_log").path("max_segments").asInt(JournalFiles.DEFAULT_MAX_SEGMENTS);
        new JournalReader(new JournalFiles(store.sessionsDir(), record.acpxRecordId()),
                max > 0 ? max : JournalFiles.DEFAULT_MAX_SEGMENTS, mapper).acpMessages().forEach(history::add);
        return root;
    }

    /** The agent, the queue owner, or a Node acpx holding the journal lock still runs. */
    private boolean held(SessionRecord r) {
        boolean agent = r.pid() != null && ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false);
        boolean owner = r.ownerPid() != null && r.ownerStartedAt() != null
                && new ProcessIdentity(r.ownerPid(), r.ownerStartedAt()).isAlive();
        return agent || owner || lockHolderAlive(new JournalFiles(store.sessionsDir(), r.acpxRecordId()).lock());
    }

    private boolean lockHolderAlive(Path lock) {
        try {
            long pid = mapper.readTree(Files.readString(lock)).path("pid").asLong(0);
            return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Node's path.relative from the home folder: "." for the home, the absolute path when outside it. */
    String relativeToHome(String cwd) {
        Path c = Path.of(cwd).normalize();
        Path h = home.toAbsolutePath().normalize();
        if (c.equals(h)) {
            return ".";
        }
        return c.startsWith(h) ? h.relativize(c).toString() : cwd;
    }

    static String normalizeAgentName(String name) {
        if (name == null || name.trim().isEmpty()) {
            return null;
        }
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        return n.equals("factory-droid") || n.equals("factorydroid") ? "droid" : n;
    }
}
