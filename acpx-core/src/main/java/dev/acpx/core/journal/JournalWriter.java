package dev.acpx.core.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.core.jsonrpc.Direction;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionStore;
import dev.acpx.core.session.Timestamps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;

/**
 * Appends a persistent session's turns to its journal, in the Node acpx 0.19.1 form (SPEC-P2 §1.1):
 * an anchor first in every segment, turn markers, every ACP line both ways, rotation at
 * {@code max_segment_bytes}. Each line (with its anchor when one is due) is one {@code write} in
 * append mode, so a writer killed mid-turn leaves whole lines, or at worst one torn last line that
 * readers skip and the next writer rotates away. The record's {@code last_seq}, {@code
 * last_request_id} and {@code event_log} are written at each turn's end and on close.
 *
 * <p>A write failure never fails the turn: the journal stops, and the error is kept in {@code
 * event_log.last_write_error}.
 */
public final class JournalWriter implements JournalSink {
    static final String UNKNOWN_OUTCOME = "The previous owner ended without recording a settled result;"
            + " the turn outcome is unknown.";

    private final JournalFiles files;
    private final SessionStore store;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final long maxSegmentBytes;
    private final int maxSegments;

    private FileChannel channel;
    private long activeSize;
    private long activeEntries;
    private boolean needsAnchor;
    private boolean needsRotation;
    private int segmentCount;
    private long sequence;
    private long messageSequence;
    private String requestId;
    private boolean recoveryPending;
    private String lastRequestId;
    private Instant lastWriteAt;
    private String lastWriteError;
    private boolean closed;

    private JournalWriter(JournalFiles files, SessionStore store, ObjectMapper mapper, Clock clock,
                          long maxSegmentBytes, int maxSegments) {
        this.files = files;
        this.store = store;
        this.mapper = mapper;
        this.clock = clock;
        this.maxSegmentBytes = maxSegmentBytes;
        this.maxSegments = maxSegments;
    }

    /**
     * A writer continuing the record's journal where the last writer (ours or the Node acpx's) left
     * it; a turn that writer started without a result gets its "outcome unknown" result before the
     * next turn starts.
     */
    public static JournalWriter open(SessionStore store, SessionRecord record, ObjectMapper mapper, Clock clock) {
        JsonNode log = record.json().path("event_log");
        long maxBytes = log.path("max_segment_bytes").isIntegralNumber() && log.path("max_segment_bytes").longValue() > 0
                ? log.path("max_segment_bytes").longValue() : JournalFiles.DEFAULT_MAX_SEGMENT_BYTES;
        int maxSegs = log.path("max_segments").isIntegralNumber() && log.path("max_segments").intValue() > 0
                ? log.path("max_segments").intValue() : JournalFiles.DEFAULT_MAX_SEGMENTS;
        JournalFiles files = new JournalFiles(store.sessionsDir(), record.acpxRecordId());
        JournalWriter w = new JournalWriter(files, store, mapper, clock, maxBytes, maxSegs);
        w.messageSequence = record.json().path("last_seq").asLong(0);
        try {
            JournalReader.Snapshot tail = new JournalReader(files, maxSegs, mapper).read(Long.MAX_VALUE, Long.MAX_VALUE);
            if (tail.firstSequence() != null) {
                w.messageSequence = tail.messageSequence();
            }
            w.sequence = tail.sequence();
            w.requestId = tail.requestId();
            w.recoveryPending = tail.requestId() != null;
            w.activeSize = tail.activeSize();
            w.needsAnchor = !tail.activeAnchored();
            w.needsRotation = tail.activeSize() > 0 && (!tail.activeAnchored() || tail.activePartial());
            w.activeEntries = tail.activeAnchored() ? 1 : 0;
        } catch (RuntimeException e) {
            // A damaged journal is not this session's end: keep it for inspection, start a fresh one after it.
            w.needsRotation = true;
            w.needsAnchor = true;
        }
        int count = log.path("segment_count").isIntegralNumber() ? log.path("segment_count").intValue() : 0;
        w.segmentCount = count > 0 ? count : Math.max(1, w.existingSegments());
        return w;
    }

    @Override
    public synchronized void turnStarted(String id) {
        if (requestId != null) {
            // The last owner died mid-turn (or, never here, a result was lost): settle it as unknown.
            append(JournalLine.result(requestId, new TurnOutcome.Failed(UNKNOWN_OUTCOME, null, "WATCH_OUTCOME_UNKNOWN")));
            requestId = null;
        }
        recoveryPending = false;
        if (append(JournalLine.started(id))) {
            requestId = id;
        }
    }

    @Override
    public void message(Direction direction, String rawLine) {
        String line = rawLine.strip();
        if (line.isEmpty() || line.indexOf('\n') >= 0) {
            return;
        }
        // The agent's lines are untrusted: only ACP messages go in (the reader would call others corrupt).
        if (direction == Direction.IN && !isAcpMessage(() -> mapper.getFactory().createParser(line))) {
            return;
        }
        synchronized (this) {
            if (appendLine(line)) {
                messageSequence++;
            }
        }
    }

    /** A line the agent wrote, from its bytes: checked and written without a string or a copy of it. */
    @Override
    public void messageBytes(Direction direction, dev.acpx.core.jsonrpc.ByteLine line) {
        if (line.isEmpty() || line.firstNonBlankByte() != '{') {
            return;
        }
        if (!isAcpMessage(() -> mapper.getFactory().createParser(line.view()))) {
            return;
        }
        synchronized (this) {
            if (appendBytes(line)) {
                messageSequence++;
            }
        }
    }

    /** Opens a parser over one line (from a string or from its bytes). */
    private interface LineParser {
        com.fasterxml.jackson.core.JsonParser open() throws IOException;
    }

    private static boolean isAcpMessage(LineParser line) {
        try (com.fasterxml.jackson.core.JsonParser p = line.open()) {
            return JournalLine.isAcpMessage(p);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void turnResult(String id, TurnOutcome outcome) {
        synchronized (this) {
            if (id == null || !id.equals(requestId)) {
                return;
            }
            if (append(JournalLine.result(id, outcome))) {
                requestId = null;
            }
            lastRequestId = id;
        }
        checkpoint();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeChannel();
        }
        checkpoint();
    }

    /** Writes last_seq, last_request_id and event_log into the record on disk (a no-op before any write). */
    public void checkpoint() {
        ObjectNode log;
        long seq;
        String req;
        synchronized (this) {
            if (lastWriteAt == null && lastWriteError == null) {
                return;
            }
            log = mapper.createObjectNode();
            log.put("active_path", files.active().toString());
            log.put("segment_count", segmentCount);
            log.put("max_segment_bytes", maxSegmentBytes);
            log.put("max_segments", maxSegments);
            if (lastWriteAt != null) log.put("last_write_at", Timestamps.format(lastWriteAt));
            if (lastWriteError == null) log.putNull("last_write_error"); else log.put("last_write_error", lastWriteError);
            seq = messageSequence;
            req = lastRequestId;
        }
        try {
            store.update(files.recordId(), r -> {
                r.json().put("last_seq", seq);
                if (req != null) {
                    r.json().put("last_request_id", req);
                }
                r.json().set("event_log", log);
                return true;
            });
        } catch (RuntimeException e) {
            // the next checkpoint writes the same keys again
        }
    }

    private boolean append(ObjectNode marker) {
        return appendLine(marker.toString());
    }

    /** Appends one line (rotating and anchoring first when due); false once the journal has failed. */
    /** As {@link #appendLine}, the line written from its chunks (the anchor first when one is due). */
    private boolean appendBytes(dev.acpx.core.jsonrpc.ByteLine line) {
        if (closed || lastWriteError != null) {
            return false;
        }
        try {
            long length = line.size() + 1;
            if (needsRotation || (activeEntries > 0 && activeSize + length > maxSegmentBytes)) {
                rotate();
            }
            FileChannel ch = channel();
            long written = 0;
            if (needsAnchor) {
                written += writeFully(ch, (JournalLine.anchor(files.recordId(), sequence, messageSequence, requestId)
                        + "\n").getBytes(StandardCharsets.UTF_8));
            }
            written += line.writeTo(ch);
            written += writeFully(ch, new byte[] {'\n'});
            needsAnchor = false;
            activeSize += written;
            activeEntries++;
            sequence++;
            lastWriteAt = clock.instant();
            return true;
        } catch (IOException | RuntimeException e) {
            lastWriteError = e.getClass().getSimpleName() + ": " + e.getMessage();
            closeChannel();
            return false;
        }
    }

    private static long writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        return bytes.length;
    }

    private boolean appendLine(String line) {
        if (closed || lastWriteError != null) {
            return false;
        }
        try {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (needsRotation || (activeEntries > 0 && activeSize + bytes.length > maxSegmentBytes)) {
                rotate();
            }
            byte[] out = bytes;
            if (needsAnchor) {
                byte[] anchor = (JournalLine.anchor(files.recordId(), sequence, messageSequence, requestId) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                out = new byte[anchor.length + bytes.length];
                System.arraycopy(anchor, 0, out, 0, anchor.length);
                System.arraycopy(bytes, 0, out, anchor.length, bytes.length);
            }
            ByteBuffer buf = ByteBuffer.wrap(out);
            FileChannel ch = channel();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            needsAnchor = false;
            activeSize += out.length;
            activeEntries++;
            sequence++;
            lastWriteAt = clock.instant();
            return true;
        } catch (IOException | RuntimeException e) {
            lastWriteError = e.getClass().getSimpleName() + ": " + e.getMessage();
            closeChannel();
            return false;
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            Files.createDirectories(files.sessionsDir());
            channel = FileChannel.open(files.active(), java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return channel;
    }

    private void rotate() throws IOException {
        closeChannel();
        Files.deleteIfExists(files.segment(maxSegments));
        for (int k = maxSegments - 1; k >= 1; k--) {
            moveIfPresent(files.segment(k), files.segment(k + 1));
        }
        moveIfPresent(files.active(), files.segment(1));
        activeSize = 0;
        activeEntries = 0;
        needsAnchor = true;
        needsRotation = false;
        segmentCount = Math.min(segmentCount + 1, maxSegments);
    }

    private static void moveIfPresent(java.nio.file.Path from, java.nio.file.Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // nothing at that place yet
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // appends are already in the file; nothing more to flush
            }
            channel = null;
        }
    }

    private int existingSegments() {
        int n = Files.exists(files.active()) ? 1 : 0;
        for (int k = 1; k <= maxSegments; k++) {
            if (Files.exists(files.segment(k))) n++;
        }
        return n;
    }

    /** The journal's position (for tests and the cost figure). */
    public synchronized long sequence() {
        return sequence;
    }
}
