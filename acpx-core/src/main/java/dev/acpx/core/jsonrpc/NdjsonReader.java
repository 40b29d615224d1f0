package dev.acpx.core.jsonrpc;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads newline-delimited UTF-8 lines with a bounded line length.
 *
 * <p>A line longer than the limit is skipped up to its newline without being kept in memory, so a
 * misbehaving peer cannot make us buffer an unbounded line; invalid UTF-8 becomes U+FFFD.
 */
public final class NdjsonReader {

    /** One framed line: its text, its bytes, or the fact that it was too long to keep. */
    public sealed interface Line {
        /** A line within the limit, without its line terminator. */
        record Text(String text) implements Line {}

        /** A line within the limit as undecoded bytes (from {@link #nextRaw()}), without its terminator. */
        record Raw(ByteLine bytes) implements Line {}

        /** A line that exceeded the limit and was discarded; {@code bytes} excludes the newline. */
        record Oversized(long bytes) implements Line {}
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    public NdjsonReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes);
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Returns the next line, or {@code null} at end of input. A final line without newline counts. */
    public Line next() throws IOException {
        Line line = nextRaw();
        return line instanceof Line.Raw raw ? new Line.Text(raw.bytes().text()) : line;
    }

    /**
     * As {@link #next()}, but a line within the limit comes as its bytes ({@link Line.Raw}), so a
     * caller that can parse bytes never needs the line as a string as well.
     */
    public Line nextRaw() throws IOException {
        // A fresh line each time: the previous one may still be read by whoever got it.
        ByteLine line = new ByteLine();
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
                    return finish(line, total, oversized);
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
                    line.clear();
                } else {
                    line.append(buffer, start, count);
                }
            }
            position = newline >= 0 ? newline + 1 : limit;
            if (newline >= 0) {
                return finish(line, total, oversized);
            }
        }
    }

    private static Line finish(ByteLine line, long total, boolean oversized) {
        if (oversized) {
            return new Line.Oversized(total);
        }
        if (line.lastByte() == '\r') {
            line.dropLast(); // tolerate CRLF framing
        }
        return new Line.Raw(line);
    }
}
