package dev.acpx.core.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A watch cursor: base64url without padding of the JSON array {@code ["<recordId>",<sequence>]},
 * exactly as the Node acpx makes it, so cursors pass between the two tools. Parsing is strict: the
 * string must be what encoding its value gives back.
 */
public final class WatchCursor {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WatchCursor() {}

    public static String encode(String recordId, long sequence) {
        String json = MAPPER.createArrayNode().add(recordId).add(sequence).toString();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence the cursor marks; the watch errors when it is malformed or another session's. */
    public static long parse(String recordId, String cursor) {
        JsonNode v;
        try {
            v = MAPPER.readTree(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw JournalErrors.cursorInvalid();
        }
        if (v == null || !v.isArray() || v.size() != 2 || !v.get(0).isTextual() || !v.get(1).isIntegralNumber()
                || v.get(1).longValue() < 0 || v.get(1).longValue() > (1L << 53) - 1
                || !encode(v.get(0).textValue(), v.get(1).longValue()).equals(cursor)) {
            throw JournalErrors.cursorInvalid();
        }
        if (!v.get(0).textValue().equals(recordId)) {
            throw JournalErrors.cursorForeign();
        }
        return v.get(1).longValue();
    }
}
