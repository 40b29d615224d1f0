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
    private static final int MIN_CHUNK = 256;
    private static final int MAX_CHUNK = 1024 * 1024;

    private List<byte[]> chunks = new ArrayList<>();
    private int lastFill;
    private long size;
    // Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF), checked as bytes arrive.
    private boolean malformed;
    private int need;
    private int lower = 0x80;
    private int upper = 0xBF;

    /** Appends {@code len} bytes of {@code src} from {@code off}. */
    public void append(byte[] src, int off, int len) {
        while (len > 0) {
            byte[] last = chunks.isEmpty() ? null : chunks.getLast();
            if (last == null || lastFill == last.length) {
                // The first chunk fits the first piece exactly (most lines arrive whole); later ones
                // grow with the line, so small lines cost little and big ones few chunks.
                int capacity = chunks.isEmpty() ? Math.max(MIN_CHUNK, len)
                        : (int) Math.min(MAX_CHUNK, Math.max(8 * 1024, size));
                last = new byte[capacity];
                chunks.add(last);
                lastFill = 0;
            }
            int n = Math.min(len, last.length - lastFill);
            System.arraycopy(src, off, last, lastFill, n);
            if (!malformed) {
                check(src, off, n);
            }
            lastFill += n;
            off += n;
            len -= n;
            size += n;
        }
    }

    private void check(byte[] src, int off, int n) {
        for (int i = off; i < off + n; i++) {
            int b = src[i] & 0xFF;
            if (need == 0) {
                if (b < 0x80) {
                    continue;
                }
                lower = 0x80;
                upper = 0xBF;
                if (b >= 0xC2 && b <= 0xDF) {
                    need = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    need = 2;
                    lower = b == 0xE0 ? 0xA0 : 0x80;
                    upper = b == 0xED ? 0x9F : 0xBF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    need = 3;
                    lower = b == 0xF0 ? 0x90 : 0x80;
                    upper = b == 0xF4 ? 0x8F : 0xBF;
                } else {
                    malformed = true;
                    return;
                }
            } else {
                if (b < lower || b > upper) {
                    malformed = true;
                    return;
                }
                lower = 0x80;
                upper = 0xBF;
                need--;
            }
        }
    }

    /**
     * True when the content is well-formed UTF-8, so that a parser reading the bytes sees exactly
     * the characters {@link #text()} would give; otherwise only {@code text()} replaces what is bad.
     */
    public boolean isWellFormedUtf8() {
        return !malformed && need == 0;
    }

    /** The first bytes, at most {@code max}, decoded (for messages about a line too big to show). */
    public String head(int max) {
        if (chunks.isEmpty()) {
            return "";
        }
        int n = (int) Math.min(max, chunks.size() == 1 ? lastFill : chunks.getFirst().length);
        return new String(chunks.getFirst(), 0, n, StandardCharsets.UTF_8);
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
        malformed = false;
        need = 0;
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

    /**
     * As {@link #text()}, but lets go of each chunk once copied, so a big line is held about twice
     * (bytes and string) at the peak rather than three times; this line is empty afterwards.
     */
    public String drainText() {
        if (chunks.size() <= 1) {
            String text = text();
            clear();
            return text;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a line of " + size + " bytes cannot be one string");
        }
        byte[] all = new byte[(int) size];
        int at = 0;
        int count = chunks.size();
        for (int c = 0; c < count; c++) {
            int n = c == count - 1 ? lastFill : chunks.get(c).length;
            System.arraycopy(chunks.get(c), 0, all, at, n);
            chunks.set(c, null);
            at += n;
        }
        clear();
        return new String(all, StandardCharsets.UTF_8);
    }

    /** Writes the bytes, as they are, to {@code out} (whole, the content stays): no copy of a big line. */
    public long writeTo(java.nio.channels.WritableByteChannel out) throws java.io.IOException {
        long written = 0;
        for (int c = 0; c < chunks.size(); c++) {
            int n = c == chunks.size() - 1 ? lastFill : chunks.get(c).length;
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(chunks.get(c), 0, n);
            while (buf.hasRemaining()) {
                written += out.write(buf);
            }
        }
        return written;
    }

    /** The bytes as a stream that leaves them in place (unlike {@link #drain()}). */
    public InputStream view() {
        List<InputStream> parts = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            int n = c == chunks.size() - 1 ? lastFill : chunks.get(c).length;
            parts.add(new java.io.ByteArrayInputStream(chunks.get(c), 0, n));
        }
        return new java.io.SequenceInputStream(java.util.Collections.enumeration(parts));
    }

    /** The first byte that is not JSON white space, or -1 when there is none. */
    public int firstNonBlankByte() {
        for (int c = 0; c < chunks.size(); c++) {
            byte[] chunk = chunks.get(c);
            int n = c == chunks.size() - 1 ? lastFill : chunk.length;
            for (int i = 0; i < n; i++) {
                int b = chunk[i] & 0xFF;
                if (b != ' ' && b != '\t' && b != '\r') {
                    return b;
                }
            }
        }
        return -1;
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
        clear();
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
