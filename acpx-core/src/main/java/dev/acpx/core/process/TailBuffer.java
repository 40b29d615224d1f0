package dev.acpx.core.process;

import java.nio.charset.StandardCharsets;

/**
 * Thread-safe byte buffer that keeps only the last {@code capacity} bytes written to it. Memory grows with
 * what was written, up to capacity, so a huge limit costs nothing until output arrives.
 */
public final class TailBuffer {

    private final int capacity;
    private byte[] buf;
    private int start;   // index of the oldest byte once the ring has wrapped
    private int size;
    private boolean truncated;
    private long totalBytes;

    public TailBuffer(long capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.capacity = (int) Math.min(capacity, Integer.MAX_VALUE - 16);
        this.buf = new byte[Math.min(this.capacity, 4096)];
    }

    public synchronized void write(byte[] data, int off, int len) {
        totalBytes += len;
        if (len >= capacity) {
            // The chunk alone fills the buffer: keep its end, forget everything before.
            truncated |= size > 0 || len > capacity;
            ensureLength(capacity);
            System.arraycopy(data, off + len - capacity, buf, 0, capacity);
            start = 0;
            size = capacity;
            return;
        }
        if (size + len > buf.length && buf.length < capacity) {
            // Still growing: unwrap into a larger array, then append linearly.
            ensureLength((int) Math.min(capacity, Math.max((long) buf.length * 2, (long) size + len)));
        }
        for (int i = 0; i < len; i++) {
            int pos = (start + size) % buf.length;
            if (size == buf.length) {
                buf[start] = data[off + i];
                start = (start + 1) % buf.length;
                truncated = true;
            } else {
                buf[pos] = data[off + i];
                size++;
            }
        }
    }

    private void ensureLength(int length) {
        if (buf.length >= length) {
            return;
        }
        byte[] bigger = new byte[length];
        copyTo(bigger);
        buf = bigger;
        start = 0;
    }

    private void copyTo(byte[] target) {
        int first = Math.min(size, buf.length - start);
        System.arraycopy(buf, start, target, 0, first);
        System.arraycopy(buf, 0, target, first, size - first);
    }

    /** The retained bytes, oldest first. */
    public synchronized byte[] bytes() {
        byte[] out = new byte[size];
        copyTo(out);
        return out;
    }

    /** True once any byte was dropped from the front. */
    public synchronized boolean truncated() {
        return truncated;
    }

    /** Every byte ever written, retained or not. */
    public synchronized long totalBytes() {
        return totalBytes;
    }

    /**
     * The retained bytes as UTF-8 text. After truncation the first bytes may be the middle of a character;
     * they are skipped so the text starts at a character boundary.
     */
    public String text() {
        byte[] data;
        boolean cut;
        synchronized (this) {
            data = bytes();
            cut = truncated;
        }
        int from = 0;
        if (cut) {
            // UTF-8 continuation bytes look like 10xxxxxx; a character is at most 4 bytes long.
            while (from < data.length && from < 3 && (data[from] & 0xC0) == 0x80) {
                from++;
            }
        }
        return new String(data, from, data.length - from, StandardCharsets.UTF_8);
    }
}
