package dev.acpx.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void theMillisFormParsesExactlyAsInstantParse() {
        for (String t : List.of("2026-01-31T12:34:56.789Z", "1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z",
                "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2026-11-24T22:05:23.560Z")) {
            assertEquals(Instant.parse(t), Timestamps.parseOrNull(t), t);
        }
    }

    @Test
    void otherIsoFormsStillParse() {
        for (String t : List.of("2026-01-31T12:34:56Z", "2026-01-31T12:34:56.123456Z", "2026-01-31T12:34:56.7Z",
                "2026-06-30T23:59:60.000Z")) {
            assertEquals(Instant.parse(t), Timestamps.parseOrNull(t), t);
        }
    }

    @Test
    void oddTextGetsWhatInstantParseGives() {
        for (String t : List.of("2026-02-30T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-01-01T24:00:00.000Z",
                "2026-01-01T00:60:00.000Z", "2026-0a-01T00:00:00.000Z", "yesterday", "", "2026-01-01 00:00:00.000Z")) {
            assertEquals(instantParseOrNull(t), Timestamps.parseOrNull(t), t);
        }
        assertNull(Timestamps.parseOrNull("2026-02-30T00:00:00.000Z"));
        assertNull(Timestamps.parseOrNull(null));
    }

    private static Instant instantParseOrNull(String t) {
        try {
            return Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void formatThenParseRoundTrips() {
        Instant now = Instant.parse("2026-03-04T05:06:07.089Z");
        assertEquals(now, Timestamps.parseOrNull(Timestamps.format(now)));
    }
}
