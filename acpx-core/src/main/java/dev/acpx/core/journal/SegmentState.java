package dev.acpx.core.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a reader knows of one segment file: how far it has read, the incomplete last line, and the
 * sequence state its anchor and lines give. A torn (partial) last line stays pending and is never
 * an error: it is the normal state of a file being appended to, or of a writer killed mid-line.
 */
final class SegmentState {
    long offset;
    byte[] pending = new byte[0];
    Long firstSequence;
    long sequence;
    long messageSequence;
    String requestId;

    /** Where events go while reading, and how many bytes they may take. */
    static final class Page {
        final List<JournalEvent> events;
        final long after;
        final long maxBytes;
        long bytes;

        Page(List<JournalEvent> events, long after, long maxBytes) {
            this.events = events;
            this.after = after;
            this.maxBytes = maxBytes;
        }

        boolean full() {
            return bytes >= maxBytes;
        }
    }

    boolean anchored() {
        return firstSequence != null;
    }

    void append(byte[] chunk, int length) {
        byte[] joined = new byte[pending.length + length];
        System.arraycopy(pending, 0, joined, 0, pending.length);
        System.arraycopy(chunk, 0, joined, pending.length, length);
        pending = joined;
        offset += length;
    }

    /** Consumes the complete lines pending (until the page is full); a partial last line stays. */
    void consume(ObjectMapper mapper, String recordId, Page page) {
        int start = 0;
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] != '\n') {
                continue;
            }
            String line = new String(pending, start, i - start, StandardCharsets.UTF_8);
            consumeLine(mapper, recordId, line, page, i - start + 1);
            start = i + 1;
            if (page != null && page.full()) {
                break;
            }
        }
        if (start > 0) {
            byte[] rest = new byte[pending.length - start];
            System.arraycopy(pending, start, rest, 0, rest.length);
            pending = rest;
        }
    }

    private void consumeLine(ObjectMapper mapper, String recordId, String line, Page page, int bytes) {
        JournalLine.Entry entry = JournalLine.decode(mapper, line, anchored());
        switch (entry) {
            case null -> { }
            case JournalLine.Anchor a -> {
                if (anchored() || !a.recordId().equals(recordId)) {
                    throw JournalErrors.corrupt("Invalid session journal segment anchor");
                }
                firstSequence = a.sequence();
                sequence = a.sequence();
                messageSequence = a.messageSequence();
                requestId = a.requestId();
            }
            case JournalLine.Message m -> {
                if (anchored()) {
                    sequence++;
                    messageSequence++;
                    emit(page, bytes, new JournalEvent(sequence, JournalEvent.Type.MESSAGE, requestId, m.message()));
                }
            }
            case JournalLine.Started s -> {
                requireAnchor();
                sequence++;
                requestId = s.requestId();
                emit(page, bytes, new JournalEvent(sequence, JournalEvent.Type.TURN_STARTED, requestId, null));
            }
            case JournalLine.Result r -> {
                requireAnchor();
                sequence++;
                if (!r.requestId().equals(requestId)) {
                    throw JournalErrors.corrupt("Session journal result does not match the active request");
                }
                emit(page, bytes, new JournalEvent(sequence, JournalEvent.Type.TURN_RESULT, requestId, r.result()));
                requestId = null;
            }
        }
    }

    private void requireAnchor() {
        if (!anchored()) {
            throw JournalErrors.corrupt("Session journal lifecycle record has no segment anchor");
        }
    }

    private void emit(Page page, int bytes, JournalEvent event) {
        if (page == null || event.sequence() <= page.after) {
            return;
        }
        page.bytes += bytes;
        page.events.add(event);
    }
}
