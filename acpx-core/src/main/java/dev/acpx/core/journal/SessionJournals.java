package dev.acpx.core.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.SessionEvent;
import dev.acpx.api.SessionEvents;
import dev.acpx.core.lifecycle.ProcessIdentity;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** The journals of one {@code ~/.acpx}: {@link SessionEvents} for hosts, and the CLI's watch. */
public final class SessionJournals implements SessionEvents {
    private final Path acpxHome;
    private final SessionStore store;
    private final ObjectMapper mapper;

    public SessionJournals(Path acpxHome, SessionStore store, ObjectMapper mapper) {
        this.acpxHome = acpxHome;
        this.store = store;
        this.mapper = mapper;
    }

    @Override
    public List<SessionEvent> read(String recordId, String cursor) {
        SessionRecord record = load(recordId);
        long after = cursor == null ? -1 : WatchCursor.parse(recordId, cursor);
        JournalReader.Snapshot snap = reader(record).read(after, Long.MAX_VALUE);
        JournalWatch.checkRetained(after, snap, true);
        List<SessionEvent> out = new ArrayList<>();
        snap.events().forEach(e -> out.add(toApi(recordId, e)));
        return out;
    }

    @Override
    public void follow(String recordId, String cursor, Consumer<SessionEvent> sink, BooleanSupplier stopped)
            throws InterruptedException {
        SessionRecord record = load(recordId);
        watch(record).run(cursor, e -> sink.accept(toApi(recordId, e)), stopped);
    }

    @Override
    public dev.acpx.api.MessageEvents messageEvents() {
        return new dev.acpx.core.engine.agent.JournalTurnEvents(mapper);
    }

    /** The watch of one record, following our owners and the Node acpx's. */
    public JournalWatch watch(SessionRecord record) {
        String id = record.acpxRecordId();
        return new JournalWatch(reader(record), id, new JournalWatch.Session() {
            @Override
            public boolean ownerAlive() {
                return ourOwnerAlive(id) || nodeOwnerAlive(id);
            }

            @Override
            public boolean open() {
                try {
                    return store.load(id).map(r -> !r.closed()).orElse(false);
                } catch (RuntimeException e) {
                    return true; // a record being rewritten or damaged is not a close
                }
            }
        });
    }

    public JournalReader reader(SessionRecord record) {
        JsonNode max = record.json().path("event_log").path("max_segments");
        int segments = max.isIntegralNumber() && max.intValue() > 0 ? max.intValue() : JournalFiles.DEFAULT_MAX_SEGMENTS;
        return new JournalReader(new JournalFiles(store.sessionsDir(), record.acpxRecordId()), segments, mapper);
    }

    private SessionRecord load(String recordId) {
        return store.load(recordId).orElseThrow(() -> new AcpxException(ErrorKind.NO_SESSION,
                "session " + recordId + " not found"));
    }

    private boolean ourOwnerAlive(String id) {
        try {
            return store.load(id).filter(r -> r.ownerPid() != null && r.ownerStartedAt() != null)
                    .map(r -> new ProcessIdentity(r.ownerPid(), r.ownerStartedAt()).isAlive()).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The Node acpx's queue owner lease: {@code ~/.acpx/queues/<sha256(id)[0,24)>.lock} naming its pid. */
    private boolean nodeOwnerAlive(String id) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            Path lease = acpxHome.resolve("queues").resolve(HexFormat.of().formatHex(hash).substring(0, 24) + ".lock");
            if (!Files.isRegularFile(lease)) {
                return false;
            }
            long pid = mapper.readTree(lease.toFile()).path("pid").asLong(0);
            return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return false;
        }
    }

    public static String cursor(String recordId, JournalEvent e) {
        return WatchCursor.encode(recordId, e.sequence());
    }

    static SessionEvent toApi(String recordId, JournalEvent e) {
        String cursor = cursor(recordId, e);
        return switch (e.type()) {
            case TURN_STARTED -> new SessionEvent.TurnStarted(cursor, e.requestId());
            case MESSAGE -> new SessionEvent.Message(cursor, e.requestId(), e.payload().toString());
            case TURN_RESULT -> new SessionEvent.TurnFinished(cursor, e.requestId(), e.payload().path("status").asText(),
                    e.payload().path("stopReason").textValue(), e.payload().path("error").path("message").textValue(),
                    e.payload().toString());
        };
    }
}
