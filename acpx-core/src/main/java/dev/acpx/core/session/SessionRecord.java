package dev.acpx.core.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code ~/.acpx/sessions/<id>.json} record ({@code acpx.session.v1}, snake_case), backed by the
 * JSON tree itself so that every key we do not model (event_log, token usage, keys of newer Node
 * acpx versions) survives a rewrite untouched. Not thread-safe: one owner mutates a record at a time.
 *
 * <p>Keys of our own, all ignored by the Node acpx: {@code mode} ("persistent" | "oneshot"),
 * {@code closed_reason}, {@code owner_pid}, {@code owner_started_at}, {@code agent_pid_started_at}.
 */
public final class SessionRecord {

    public static final String SCHEMA = "acpx.session.v1";
    public static final String MODE_PERSISTENT = "persistent";
    public static final String MODE_ONESHOT = "oneshot";

    private final ObjectNode json;

    /** Wraps a parsed record; the node is owned by this record from now on. */
    public SessionRecord(ObjectNode json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * A new open record with every key the Node acpx 0.19.1 requires to accept it (last_seq,
     * messages, updated_at, token usage, acpx), so that it shows up in the Node tool too. The ACP
     * session id starts equal to the record id until the agent assigns one.
     */
    public static SessionRecord create(String recordId, SessionScope scope, String mode, Instant now) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        String ts = Timestamps.format(now);
        n.put("schema", SCHEMA);
        n.put("acpx_record_id", recordId);
        n.put("acp_session_id", recordId);
        n.put("agent_command", scope.agentCommand());
        n.put("cwd", scope.cwd().toString());
        if (scope.name() != null) {
            n.put("name", scope.name());
        }
        n.put("created_at", ts);
        n.put("last_used_at", ts);
        n.put("last_seq", 0);
        n.put("closed", false);
        n.putNull("title");
        n.putArray("messages");
        n.put("updated_at", ts);
        n.putObject("cumulative_token_usage");
        n.putObject("request_token_usage");
        n.putObject("acpx");
        n.put("mode", mode);
        return new SessionRecord(n);
    }

    /** The live JSON tree (what gets written); mutate through the typed setters where one exists. */
    public ObjectNode json() {
        return json;
    }

    /** A deep copy, for callers that want to keep a snapshot. */
    public SessionRecord copy() {
        return new SessionRecord(json.deepCopy());
    }

    public SessionScope scope() {
        return new SessionScope(agentCommand(), java.nio.file.Path.of(cwd()), name());
    }

    // --- identity and scope -------------------------------------------------------------------

    public String schema() { return text("schema"); }
    public String acpxRecordId() { return text("acpx_record_id"); }
    public String acpSessionId() { return text("acp_session_id"); }
    public void setAcpSessionId(String v) { putText("acp_session_id", v); }
    public String agentSessionId() { return text("agent_session_id"); }
    public void setAgentSessionId(String v) { putText("agent_session_id", v); }
    public String agentCommand() { return text("agent_command"); }
    public String cwd() { return text("cwd"); }
    /** The session name, or null for the default session of a scope (blank reads as none). */
    public String name() { return SessionScope.normalizeName(text("name")); }
    public void setName(String v) { putText("name", SessionScope.normalizeName(v)); }

    // --- times --------------------------------------------------------------------------------

    public Instant createdAt() { return instant("created_at"); }
    public Instant lastUsedAt() { return instant("last_used_at"); }
    public void setLastUsedAt(Instant v) { putInstant("last_used_at", v); }
    public Instant lastPromptAt() { return instant("last_prompt_at"); }
    public void setLastPromptAt(Instant v) { putInstant("last_prompt_at", v); }
    public Instant updatedAt() { return instant("updated_at"); }
    public void setUpdatedAt(Instant v) { putInstant("updated_at", v); }

    // --- open / closed ------------------------------------------------------------------------

    public boolean closed() { return json.path("closed").asBoolean(false); }
    public void setClosed(boolean v) { json.put("closed", v); }
    public Instant closedAt() { return instant("closed_at"); }
    public void setClosedAt(Instant v) { putInstant("closed_at", v); }
    /** Ours: why the record was closed ("sessions close", "replaced by sessions new", "stale: ..."). */
    public String closedReason() { return text("closed_reason"); }
    public void setClosedReason(String v) { putText("closed_reason", v); }
    /** Ours: "persistent" or "oneshot"; records without it (Node-written) are persistent. */
    public String mode() { return Optional.ofNullable(text("mode")).orElse(MODE_PERSISTENT); }
    public void setMode(String v) { putText("mode", v); }
    public boolean isOneShot() { return MODE_ONESHOT.equals(mode()); }

    // --- processes ----------------------------------------------------------------------------

    /** The agent's pid (Node's {@code pid}); null when none is recorded. */
    public Long pid() { return longOrNull("pid"); }
    public void setPid(Long v) { putLong("pid", v); }
    /** Node's agent spawn time as seen by the spawner (not comparable with a process start instant). */
    public Instant agentStartedAt() { return instant("agent_started_at"); }
    public void setAgentStartedAt(Instant v) { putInstant("agent_started_at", v); }
    /** Ours: the agent process's start instant as the OS reports it, for pid-reuse-proof liveness. */
    public Instant agentPidStartedAt() { return instant("agent_pid_started_at"); }
    public void setAgentPidStartedAt(Instant v) { putInstant("agent_pid_started_at", v); }
    /** Ours: the queue owner (or one-shot runner) process holding the session. */
    public Long ownerPid() { return longOrNull("owner_pid"); }
    public void setOwnerPid(Long v) { putLong("owner_pid", v); }
    public Instant ownerStartedAt() { return instant("owner_started_at"); }
    public void setOwnerStartedAt(Instant v) { putInstant("owner_started_at", v); }

    /** Drops every pid we keep, e.g. once the processes are known to be gone. */
    public void clearProcesses() {
        json.remove(List.of("pid", "agent_pid_started_at", "owner_pid", "owner_started_at"));
    }

    // --- agent exit -------------------------------------------------------------------------

    public Integer lastAgentExitCode() {
        JsonNode n = json.get("last_agent_exit_code");
        return n != null && n.isIntegralNumber() ? n.intValue() : null;
    }
    public void setLastAgentExitCode(Integer v) {
        if (v == null) json.putNull("last_agent_exit_code"); else json.put("last_agent_exit_code", v);
    }
    public String lastAgentExitSignal() { return text("last_agent_exit_signal"); }
    public void setLastAgentExitSignal(String v) {
        if (v == null) json.putNull("last_agent_exit_signal"); else json.put("last_agent_exit_signal", v);
    }
    public Instant lastAgentExitAt() { return instant("last_agent_exit_at"); }
    public void setLastAgentExitAt(Instant v) { putInstant("last_agent_exit_at", v); }
    public String lastAgentDisconnectReason() { return text("last_agent_disconnect_reason"); }
    public void setLastAgentDisconnectReason(String v) { putText("last_agent_disconnect_reason", v); }

    // --- agent facts ------------------------------------------------------------------------

    public Integer protocolVersion() {
        JsonNode n = json.get("protocol_version");
        return n != null && n.isIntegralNumber() ? n.intValue() : null;
    }
    public void setProtocolVersion(Integer v) {
        if (v == null) json.remove("protocol_version"); else json.put("protocol_version", v);
    }
    /** The agent's capabilities exactly as it sent them (camelCase, opaque); null when unknown. */
    public ObjectNode agentCapabilities() {
        return json.get("agent_capabilities") instanceof ObjectNode o ? o : null;
    }
    public void setAgentCapabilities(ObjectNode v) {
        if (v == null) json.remove("agent_capabilities"); else json.set("agent_capabilities", v);
    }

    /** Mode and config selections, kept in Node's {@code acpx} object. */
    public SessionSelections selections() {
        return new SessionSelections(acpxState());
    }

    /** The turn history as neutral entries (see {@link TurnHistory}). */
    public List<HistoryEntry> history() {
        return TurnHistory.read(this);
    }

    /** Appends one turn in the Node 0.19.1 message form and bumps updated_at. */
    public void appendTurn(HistoryEntry.Role role, String text, Instant at) {
        TurnHistory.append(this, role, text, at);
    }

    ObjectNode acpxState() {
        if (json.get("acpx") instanceof ObjectNode o) {
            return o;
        }
        return json.putObject("acpx");
    }

    // --- JSON helpers ---------------------------------------------------------------------------

    String text(String key) {
        JsonNode n = json.get(key);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private void putText(String key, String v) {
        if (v == null) json.remove(key); else json.put(key, v);
    }

    private Instant instant(String key) {
        return Timestamps.parseOrNull(text(key));
    }

    private void putInstant(String key, Instant v) {
        if (v == null) json.remove(key); else json.put(key, Timestamps.format(v));
    }

    private Long longOrNull(String key) {
        JsonNode n = json.get(key);
        return n != null && n.isIntegralNumber() ? n.longValue() : null;
    }

    private void putLong(String key, Long v) {
        if (v == null) json.remove(key); else json.put(key, v);
    }

    @Override
    public String toString() {
        return "SessionRecord[" + acpxRecordId() + " " + agentCommand() + " in " + cwd()
                + (name() == null ? "" : " name=" + name()) + (closed() ? " closed" : " open") + "]";
    }
}
