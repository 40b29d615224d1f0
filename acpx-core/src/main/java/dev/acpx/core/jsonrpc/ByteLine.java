package dev.acpx.core.jsonrpc;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one NDJSON line, kept in chunks. A line may be tens of megabytes, so: growing it
 * never copies what is already there (a doubling array holds 1.5 times the line while it copies),
 * and {@link #drain()} hands the bytes to a parser as a stream that lets go of each chunk once read,
 * so the strings the parser builds do not sit next to every byte they came from.
 */
public final class ByteLine {
    private static final int FIRST_CHUNK = 8 * 1024;
    private static final int CHUNK = 1024 * 1024;

    private List<byte[]> chunks = new ArrayList<>();
    private int lastFill;
    private long size;

    /** Appends {@code len} bytes of {@code src} from {@code off}. */
    public void append(byte[] src, int off, int len) {
        while (len > 0) {
            byte[] last = chunks.isEmpty() ? null : chunks.getLast();
            if (last == null || lastFill == last.length) {
                last = new byte[chunks.isEmpty() ? FIRST_CHUNK : CHUNK];
                chunks.add(last);
                lastFill = 0;
            }
            int n = Math.min(len, last.length - lastFill);
            System.arraycopy(src, off, last, lastFill, n);
            lastFill += n;
            off += n;
            len -= n;
            size += n;
        }
    }

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Forgets the content. */
    public void clear() {
        chunks = new ArrayList<>();
        lastFill = 0;
        size = 0;
    }

    /** The last byte, or -1 when empty. */
    public int lastByte() {
        return size == 0 ? -1 : chunks.getLast()[lastFill - 1] & 0xFF;
    }

    /** Drops the last byte (a CR before the newline). */
    public void dropLast() {
        if (size == 0) {
            return;
        }
        lastFill--;
        size--;
        if (lastFill == 0 && chunks.size() > 1) {
            chunks.removeLast();
            lastFill = chunks.getLast().length;
        } else if (lastFill == 0) {
            chunks.clear();
        }
    }

    /** True when the content is only spaces, tabs and CRs (or nothing). */
    public boolean isBlank() {
        for (int c = 0; c < chunks.size(); c++) {
            byte[] chunk = chunks.get(c);
            int end = c == chunks.size() - 1 ? lastFill : chunk.length;
            for (int i = 0; i < end; i++) {
                byte b = chunk[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
        }
        return true;
    }

    /** The content decoded as UTF-8, malformed bytes as U+FFFD; the content stays. */
    public String text() {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a line of " + size + " bytes cannot be one string");
        }
        if (chunks.size() == 1) {
            return new String(chunks.getFirst(), 0, lastFill, StandardCharsets.UTF_8);
        }
        byte[] all = new byte[(int) size];
        int at = 0;
        for (int c = 0; c < chunks.size(); c++) {
            int n = c == chunks.size() - 1 ? lastFill : chunks.get(c).length;
            System.arraycopy(chunks.get(c), 0, all, at, n);
            at += n;
        }
        // Decodes straight into the string's own array (one byte per char for ASCII).
        return new String(all, StandardCharsets.UTF_8);
    }

    /**
     * The content as a stream that releases each chunk once read; this line is empty afterwards
     * (the stream owns the bytes).
     */
    public InputStream drain() {
        InputStream stream = new ChunkStream(chunks, lastFill);
        chunks = new ArrayList<>();
        lastFill = 0;
        size = 0;
        return stream;
    }

    private static final class ChunkStream extends InputStream {
        private final List<byte[]> chunks;
        private final int lastFill;
        private int index;
        private int pos;

        ChunkStream(List<byte[]> chunks, int lastFill) {
            this.chunks = chunks;
            this.lastFill = lastFill;
        }

        private int limit() {
            return index == chunks.size() - 1 ? lastFill : chunks.get(index).length;
        }

        /** Moves to the next chunk with bytes left, freeing those done; false at the end. */
        private boolean ready() {
            while (index < chunks.size()) {
                if (pos < limit()) {
                    return true;
                }
                chunks.set(index, null);
                index++;
                pos = 0;
            }
            return false;
        }

        @Override
        public int read() {
            if (!ready()) {
                return -1;
            }
            return chunks.get(index)[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!ready()) {
                return -1;
            }
            int n = Math.min(len, limit() - pos);
            System.arraycopy(chunks.get(index), pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
