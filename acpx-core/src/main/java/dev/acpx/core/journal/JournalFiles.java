package dev.acpx.core.journal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The journal's files of one record: the active segment {@code <id>.stream.ndjson} and the rotated
 * {@code <id>.stream.<k>.ndjson} (1 newest), {@code <id>} encoded as JavaScript's encodeURIComponent
 * does, so both tools name the same files.
 */
public record JournalFiles(Path sessionsDir, String recordId) {

    public static final long DEFAULT_MAX_SEGMENT_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_SEGMENTS = 5;

    public Path active() {
        return sessionsDir.resolve(encode(recordId) + ".stream.ndjson");
    }

    public Path segment(int k) {
        return sessionsDir.resolve(encode(recordId) + ".stream." + k + ".ndjson");
    }

    public Path lock() {
        return sessionsDir.resolve(encode(recordId) + ".stream.lock");
    }

    /** encodeURIComponent: everything but A-Z a-z 0-9 - _ . ! ~ * ' ( ) is %XX of its UTF-8 bytes. */
    static String encode(String id) {
        StringBuilder b = new StringBuilder();
        for (byte x : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.!~*'()".indexOf(c) >= 0) {
                b.append(c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
