package dev.acpx.core.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Byte-level mutations of a seed text, for the fuzz properties: flip, insert, delete, truncate,
 * duplicate a range, splice in JSON punctuation. jqwik shrinks the edit list when a case fails.
 */
public final class Mutations {
    private Mutations() {}

    /** One edit at a relative position (0..1 of the current length). */
    public record Edit(int kind, double at, int length, byte value) {
        byte[] apply(byte[] in) {
            int pos = (int) Math.min(in.length, Math.floor(at * (in.length + 1)));
            int len = Math.min(length, in.length - pos);
            return switch (kind) {
                case 0 -> { // overwrite one byte
                    if (in.length == 0) {
                        yield new byte[] {value};
                    }
                    byte[] out = in.clone();
                    out[Math.min(pos, in.length - 1)] = value;
                    yield out;
                }
                case 1 -> splice(in, pos, 0, new byte[] {value});
                case 2 -> splice(in, pos, len, new byte[0]);
                case 3 -> Arrays.copyOf(in, pos); // truncation, as a crash mid-write would leave
                case 4 -> splice(in, pos, 0, Arrays.copyOfRange(in, pos, pos + len));
                default -> splice(in, pos, 0, PUNCTUATION.get(Math.floorMod(value, PUNCTUATION.size())));
            };
        }
    }

    private static final List<byte[]> PUNCTUATION = List.of("{", "}", "[", "]", "\"", ":", ",", "\\", "null",
            "-1", "1e999", "\"\\u0000\"", "\uFFFF", "\"\\ud800\"", "true", "{}", "[]", "99999999999999999999999")
            .stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();

    public static Arbitrary<Edit> edits() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 64), Arbitraries.bytes()).as(Edit::new);
    }

    /** Between 1 and {@code max} edits. */
    public static Arbitrary<List<Edit>> editLists(int max) {
        return edits().list().ofMinSize(1).ofMaxSize(max);
    }

    public static byte[] apply(byte[] seed, List<Edit> edits) {
        byte[] out = seed;
        for (Edit e : edits) {
            out = e.apply(out);
        }
        return out;
    }

    private static byte[] splice(byte[] in, int pos, int remove, byte[] insert) {
        byte[] out = new byte[in.length - remove + insert.length];
        System.arraycopy(in, 0, out, 0, pos);
        System.arraycopy(insert, 0, out, pos, insert.length);
        System.arraycopy(in, pos + remove, out, pos + insert.length, in.length - pos - remove);
        return out;
    }
}
