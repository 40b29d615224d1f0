package dev.acpx.core.session;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.HistoryItem;
import dev.acpx.api.SessionInfo;
import dev.acpx.api.SessionList;
import dev.acpx.api.SessionOpened;
import dev.acpx.core.lifecycle.ProcessIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The local session commands (SPEC §3): create, ensure, find, list, show, history, close and
 * prune, over the record store. Every listing first reaps stale records (SPEC §9.7) so what it
 * reports is measured, not assumed.
 */
public final class SessionService {
    private static final Duration STOP_OWNER_GRACE = Duration.ofSeconds(8);

    private final SessionStore store;
    private final Consumer<String> warnings;
    private final SharedOwners sharedOwners;

    /**
     * Ends one session's owner inside a process that hosts many (the per-user daemon), which must
     * never be signalled for one of them: true when {@code pid} was such a host and stopped it.
     */
    @FunctionalInterface
    public interface SharedOwners {
        boolean stop(long pid, Path acpxHome, String recordId, Duration grace);
    }

    /**
     * @param warnings where a failed side write of a read-only command goes (one line each): a
     *                 listing is still right when the reaper could not rewrite a stale record
     */
    public SessionService(SessionStore store, Consumer<String> warnings) {
        this(store, warnings, (pid, home, id, grace) -> false);
    }

    public SessionService(SessionStore store, Consumer<String> warnings, SharedOwners sharedOwners) {
        this.store = store;
        this.warnings = warnings;
        this.sharedOwners = sharedOwners;
    }

    public SessionStore store() {
        return store;
    }

    private static SessionScope scope(AgentRef agent, Path cwd, String name) {
        return new SessionScope(agent.command(), cwd, name);
    }

    /** A fresh record for the scope; the open one it replaces is closed (and its owner stopped). */
    public SessionOpened create(AgentRef agent, Path cwd, String name) {
        Optional<SessionRecord> replaced = store.findForPrompt(scope(agent, cwd, name))
                .filter(r -> r.cwd().equals(cwd.toString()));
        replaced.ifPresent(this::stopOwner);
        SessionRecord created = store.createFresh(scope(agent, cwd, name), SessionRecord.MODE_PERSISTENT);
        return new SessionOpened(info(created), true, replaced.map(SessionRecord::acpxRecordId).orElse(null));
    }

    // No agent argv is kept in the record: the program a session runs is always the caller's
    // resolved agent (passed to its owner on the owner's command line), never one a record names,
    // since anyone who can write a record file could otherwise choose what acpx executes.
    /** The scope's open session (walking up to the git root), or a new one; created says which. */
    public SessionOpened ensure(AgentRef agent, Path cwd, String name) {
        boolean existed = store.findForPrompt(scope(agent, cwd, name)).isPresent();
        SessionRecord r = store.ensure(scope(agent, cwd, name), SessionRecord.MODE_PERSISTENT);
        return new SessionOpened(info(r), !existed && r.agentStartedAt() == null, null);
    }

    /** Deletes a record that never became usable (its agent could not start a session). */
    public void discard(String recordId) {
        store.delete(recordId);
    }

    /**
     * The open session a prompt in {@code cwd} goes to (walking up to the git root), or exit 4
     * with the Node acpx 0.19.1 message, which names the folder the search stopped at.
     */
    public SessionRecord require(AgentRef agent, Path cwd, String name) {
        return store.findForPrompt(scope(agent, cwd, name)).orElseThrow(() -> new AcpxException(ErrorKind.NO_SESSION,
                "\u26a0 No acpx session found (searched up to " + store.walkBoundary(cwd) + ").\nCreate one: acpx "
                        + createCommandAgent(agent) + " sessions new" + (name == null ? "" : " --name " + name)));
    }

    /** How the agent is named again on a command line: its registry name, else {@code --agent '<cmd>'}. */
    public static String createCommandAgent(AgentRef agent) {
        return agent.name() != null ? agent.name() : "--agent '" + agent.command().replace("'", "'\\''") + "'";
    }

    /** The agent as the Node acpx names it in messages: the registry name, else the raw command. */
    public static String agentLabel(AgentRef agent) {
        return agent.name() != null ? agent.name() : agent.command();
    }

    /** The Node acpx's error for show, history and close when the exact scope has no record (exit 1). */
    public static AcpxException missingScoped(AgentRef agent, Path cwd, String name) {
        return new AcpxException(ErrorKind.RUNTIME, name == null
                ? "No cwd session for " + cwd + " and agent " + agentLabel(agent)
                : "No named session \"" + name + "\" for cwd " + cwd + " and agent " + agentLabel(agent));
    }

    /** A record by name in scope, else by record id, else the scope's current one. */
    public SessionRecord lookup(AgentRef agent, Path cwd, String nameOrId, boolean includeClosed) {
        if (nameOrId != null) {
            Optional<SessionRecord> byName = store.findForPrompt(scope(agent, cwd, nameOrId));
            if (byName.isPresent()) {
                return byName.get();
            }
            Optional<SessionRecord> byId = loadQuietly(nameOrId);
            if (byId.isPresent() && (includeClosed || !byId.get().closed())) {
                return byId.get();
            }
            if (includeClosed) {
                Optional<SessionRecord> closedByName = store.list().records().stream()
                        .filter(r -> nameOrId.equals(r.name()) && agent.command().equals(r.agentCommand()))
                        .findFirst();
                if (closedByName.isPresent()) {
                    return closedByName.get();
                }
            }
            throw new AcpxException(ErrorKind.NO_SESSION, "no session named '" + nameOrId + "' for "
                    + agent.command() + " in " + cwd + "; list them with `acpx sessions list`");
        }
        return require(agent, cwd, null);
    }

    private Optional<SessionRecord> loadQuietly(String id) {
        try {
            return store.load(id);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public SessionList list(AgentRef agentOrNull) {
        LoadResult loaded = store.list();
        StaleRecordReaper.Result reaped = new StaleRecordReaper(store, Duration.ZERO).reap(loaded.records());
        reaped.failures().forEach(warnings);
        // Read the directory again only if the reaper rewrote something.
        LoadResult fresh = reaped.closedIds().isEmpty() && reaped.clearedIds().isEmpty() ? loaded : store.list();
        List<SessionInfo> out = new ArrayList<>();
        for (SessionRecord r : fresh.records()) {
            if (agentOrNull == null || agentOrNull.command().equals(r.agentCommand())) {
                out.add(info(r));
            }
        }
        List<String> problems = fresh.problems().stream().map(Object::toString).toList();
        return new SessionList(out, problems);
    }

    public List<HistoryItem> history(SessionRecord record, int limit) {
        List<HistoryEntry> all = record.history();
        List<HistoryEntry> last = all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size());
        return last.stream().map(h -> new HistoryItem(h.role().wireName(), h.timestamp(), h.textPreview())).toList();
    }

    /** Soft-closes: the owner (and so the agent tree) is stopped first, then the record closed with the reason. */
    public SessionInfo close(SessionRecord record, String reason) {
        stopOwner(record);
        // Under the record's lock, on the record as it is then: a holder's later write keeps it closed.
        return info(store.close(record, reason));
    }

    /** Ends a live owner by SIGTERM (its shutdown closes the agent tree and writes the record), then waits. */
    void stopOwner(SessionRecord record) {
        Long pid = record.ownerPid();
        Instant started = record.ownerStartedAt();
        if (pid == null || started == null || !new ProcessIdentity(pid, started).isAlive()) {
            return;
        }
        if (OwnerKind.isEmbedded(record)) {
            // The owner is a host JVM embedding the runtime: never signal it. Its handle sees the
            // closed record at its next turn and ends itself.
            return;
        }
        // A process hosting many sessions (the per-user daemon) stops this one's owner, as SIGTERM would.
        if (sharedOwners.stop(pid, store.sessionsDir().getParent(), record.acpxRecordId(), STOP_OWNER_GRACE)) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(STOP_OWNER_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    /** A temp file this old is the leftover of a write killed before its rename, never a write in flight. */
    private static final Duration STRANDED_TEMP_AGE = Duration.ofHours(1);

    /**
     * Deletes closed records by age; returns what was (or with dryRun would be) deleted. Temp
     * files stranded by writes killed before their rename (SPEC §9.5) go too.
     */
    public List<SessionInfo> prune(AgentRef agentOrNull, boolean dryRun, Instant before, boolean includeHistory) {
        if (!dryRun) {
            deleteStrandedTemps();
        }
        List<SessionInfo> pruned = new ArrayList<>();
        for (SessionRecord r : store.list().records()) {
            if (!r.closed() || (agentOrNull != null && !agentOrNull.command().equals(r.agentCommand()))) {
                continue;
            }
            Instant at = r.closedAt() != null ? r.closedAt() : r.lastUsedAt();
            if (before != null && at != null && !at.isBefore(before)) {
                continue;
            }
            pruned.add(info(r));
            if (!dryRun) {
                store.delete(r.acpxRecordId());
                if (includeHistory) {
                    deleteEventLogs(r.acpxRecordId());
                }
                PrunedFiles.deleteQueueFiles(store, r.acpxRecordId());
            }
        }
        return pruned;
    }

    private void deleteStrandedTemps() {
        Instant cutoff = store.clock().instant().minus(STRANDED_TEMP_AGE);
        try (var files = java.nio.file.Files.newDirectoryStream(store.sessionsDir(), "*.tmp")) {
            for (Path tmp : files) {
                if (java.nio.file.Files.getLastModifiedTime(tmp).toInstant().isBefore(cutoff)) {
                    java.nio.file.Files.deleteIfExists(tmp);
                }
            }
        } catch (java.nio.file.NoSuchFileException none) {
            // no sessions directory yet
        } catch (java.io.IOException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "cannot clean temp files in " + store.sessionsDir()
                    + ": " + e.getMessage());
        }
    }

    private void deleteEventLogs(String id) {
        try (var files = java.nio.file.Files.list(store.sessionsDir())) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(id + ".stream")).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "cannot delete the event logs of " + id + ": " + e.getMessage());
        }
    }

    public SessionInfo info(SessionRecord r) {
        return new SessionInfo(r.acpxRecordId(), r.acpSessionId(), r.agentCommand(), r.cwd(), r.name(),
                SessionState.measure(r).wireName(), r.closed(), r.closedAt(), r.closedReason(), r.createdAt(),
                r.lastUsedAt(), r.lastPromptAt(), r.pid(), r.ownerPid(), r.lastAgentExitCode(),
                r.lastAgentExitSignal(), r.lastAgentExitAt(), r.lastAgentDisconnectReason(), r.mode(),
                r.selections().currentModeId(), r.json().toString());
    }
}
