package dev.acpx.core.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.acpx.core.fuzz.Mutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzzes the NDJSON framing against a plain reference model: split on LF, drop one trailing CR,
 * decode UTF-8 with replacement, report lines over the limit by length only. Input arrives in
 * random-sized reads so every buffer boundary is crossed.
 */
class NdjsonReaderFuzzTest {

    @Property
    void framesLikeTheReferenceModel(@ForAll("wireBytes") byte[] input, @ForAll @IntRange(min = 1, max = 96) int maxLine,
                                     @ForAll @IntRange(min = 1, max = 40) int chunk) throws IOException {
        assertEquals(model(input, maxLine), actual(input, maxLine, chunk));
    }

    @Property
    void mutatedTrafficFramesLikeTheReferenceModel(@ForAll("mutatedTraffic") byte[] input,
                                                   @ForAll @IntRange(min = 1, max = 9000) int chunk) throws IOException {
        assertEquals(model(input, 256), actual(input, 256, chunk));
    }

    /** Regression: a big line followed by small ones, read after the reader dropped its grown buffer. */
    @Example
    void smallLinesAfterABigLineStillFrame() throws IOException {
        byte[] big = new byte[3 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.write(big);
        in.write("\nab\r\nc".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = in.toByteArray();
        assertEquals(model(bytes, 4 << 20), actual(bytes, 4 << 20, 8192));
        assertEquals(model(bytes, 1 << 20), actual(bytes, 1 << 20, 8192));
    }

    @Provide
    Arbitrary<byte[]> wireBytes() {
        // Biased towards the bytes that matter: LF, CR, and the lead and continuation bytes of UTF-8.
        Arbitrary<Byte> interesting = Arbitraries.of((byte) '\n', (byte) '\r', (byte) 'a', (byte) 0xC3, (byte) 0xA9,
                (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xF0, (byte) 0x9F, (byte) 0xFF, (byte) 0xED, (byte) 0);
        Arbitrary<Byte> any = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, interesting), net.jqwik.api.Tuple.of(1, Arbitraries.bytes()));
        return any.list().ofMaxSize(400).map(NdjsonReaderFuzzTest::bytes);
    }

    @Provide
    Arbitrary<byte[]> mutatedTraffic() {
        byte[] seed = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":1}}\n"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"update\":{\"text\":\"h\u00e9llo \u20ac\"}}}\r\n"
                + "\n{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"stopReason\":\"end_turn\"}}").getBytes(StandardCharsets.UTF_8);
        return Mutations.editLists(12).map(edits -> Mutations.apply(seed, edits));
    }

    private static byte[] bytes(List<Byte> list) {
        byte[] out = new byte[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static List<NdjsonReader.Line> actual(byte[] input, int maxLine, int chunk) throws IOException {
        NdjsonReader reader = new NdjsonReader(new ChunkedInput(input, chunk), maxLine);
        List<NdjsonReader.Line> lines = new ArrayList<>();
        NdjsonReader.Line line;
        while ((line = reader.next()) != null) {
            lines.add(line);
        }
        return lines;
    }

    static List<NdjsonReader.Line> model(byte[] input, int maxLine) throws CharacterCodingException {
        List<NdjsonReader.Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            boolean end = i == input.length;
            if (end && start == input.length) {
                break; // nothing after the last newline: no extra line
            }
            if (end || input[i] == '\n') {
                int length = i - start;
                if (length > maxLine) {
                    lines.add(new NdjsonReader.Line.Oversized(length));
                } else {
                    int textLength = length > 0 && input[i - 1] == '\r' ? length - 1 : length;
                    lines.add(new NdjsonReader.Line.Text(StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE)
                            .decode(ByteBuffer.wrap(input, start, textLength)).toString()));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    /** Hands out at most {@code chunk} bytes per read, as a pipe under load does. */
    private static final class ChunkedInput extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        ChunkedInput(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
