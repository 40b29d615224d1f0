package dev.acpx.core.jsonrpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-delimited UTF-8 lines with a bounded line length.
 *
 * <p>A line longer than the limit is skipped up to its newline without being kept in memory, so a
 * misbehaving peer cannot make us buffer an unbounded line; invalid UTF-8 becomes U+FFFD.
 */
public final class NdjsonReader {

    /** One framed line: its text, or the fact that it was too long to keep. */
    public sealed interface Line {
        /** A line within the limit, without its line terminator. */
        record Text(String text) implements Line {}

        /** A line that exceeded the limit and was discarded; {@code bytes} excludes the newline. */
        record Oversized(long bytes) implements Line {}
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    /** Past this capacity the line buffer is dropped after each line, so one big line is not kept for life. */
    private static final int KEEP_CAPACITY = 1 << 20;
    private LineBuffer line = new LineBuffer();

    /** A byte buffer whose content can be decoded in place: no copy of a line that may be tens of MB. */
    private static final class LineBuffer extends ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }

        int capacity() {
            return buf.length;
        }
    }

    public NdjsonReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes);
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Returns the next line, or {@code null} at end of input. A final line without newline counts. */
    public Line next() throws IOException {
        if (line.capacity() > KEEP_CAPACITY) {
            line = new LineBuffer();
        }
        line.reset();
        long total = 0;
        boolean oversized = false;
        boolean sawAnything = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!sawAnything) {
                        return null;
                    }
                    return finish(total, oversized);
                }
            }
            sawAnything = true;
            int start = position;
            int newline = -1;
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline >= 0 ? newline : limit;
            int count = end - start;
            total += count;
            if (!oversized) {
                if (total > maxLineBytes) {
                    // Drop what we have: from here on we only count bytes until the newline.
                    oversized = true;
                    line.reset();
                } else {
                    line.write(buffer, start, count);
                }
            }
            position = newline >= 0 ? newline + 1 : limit;
            if (newline >= 0) {
                return finish(total, oversized);
            }
        }
    }

    private Line finish(long total, boolean oversized) {
        if (oversized) {
            return new Line.Oversized(total);
        }
        byte[] bytes = line.array();
        int length = line.size();
        if (length > 0 && bytes[length - 1] == '\r') {
            length--; // tolerate CRLF framing
        }
        // The String constructor replaces malformed input with U+FFFD, as a REPLACE decoder would, but
        // decodes straight into the string's own array (one byte per char for ASCII): a CharsetDecoder
        // would first build a two-bytes-per-char buffer, tripling the peak memory of a big line.
        return new Line.Text(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
}
