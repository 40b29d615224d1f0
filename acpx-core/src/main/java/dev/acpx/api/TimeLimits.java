package dev.acpx.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Optional;

/**
 * The range of every time setting ({@code --ttl}, {@code --timeout}, config {@code ttl} and
 * {@code timeout}, the runtime's durations), in one place so that the command line, the config
 * files and the embedding API accept exactly the same values.
 *
 * <p>Values are seconds with decimals, kept as whole milliseconds (rounded half up). The maximum is
 * 2,147,483,647 ms (about 24.8 days): the Node acpx keeps its timers in that signed 32-bit count, and
 * anything longer is a typo rather than a wish. A positive value that rounds to 0 ms is refused too,
 * since zero means "forever" for a TTL and would turn a tiny value into an infinite one.
 */
public final class TimeLimits {
    /** The longest TTL or timeout. */
    public static final Duration MAX = Duration.ofMillis(Integer.MAX_VALUE);
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Integer.MAX_VALUE, 3);

    private TimeLimits() {}

    /** What a value may be, for error messages: {@code "0.001 to 2147483.647 seconds"}. */
    public static String range(boolean zeroAllowed) {
        return (zeroAllowed ? "0 (forever) or " : "") + "0.001 to " + MAX_SECONDS.toPlainString() + " seconds";
    }

    /**
     * Parses a number of seconds as typed on a command line: plain decimal digits with an optional
     * fraction ({@code 30}, {@code 1.5}, {@code .25}). Signs, exponents, hex, NaN and Infinity are
     * refused, as is anything outside {@link #range}.
     *
     * @return the duration, or empty when {@code text} is not such a number or is out of range
     */
    public static Optional<Duration> parseSeconds(String text, boolean zeroAllowed) {
        if (text == null || !text.strip().matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+")) {
            return Optional.empty();
        }
        return ofSeconds(new BigDecimal(text.strip()), zeroAllowed);
    }

    /** Seconds to a duration of whole milliseconds; empty when the value is outside {@link #range}. */
    public static Optional<Duration> ofSeconds(BigDecimal seconds, boolean zeroAllowed) {
        if (seconds.signum() < 0 || seconds.compareTo(MAX_SECONDS) > 0) {
            return Optional.empty();
        }
        if (seconds.signum() == 0) {
            return zeroAllowed ? Optional.of(Duration.ZERO) : Optional.empty();
        }
        long millis = seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
        return millis == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
    }

    /** True when {@code d} is a valid TTL (zero allowed) or timeout (zero refused). */
    public static boolean isValid(Duration d, boolean zeroAllowed) {
        if (d.isZero()) {
            return zeroAllowed;
        }
        // Below one millisecond a value would round to zero (forever for a TTL) in the owner.
        return d.compareTo(Duration.ofMillis(1)) >= 0 && d.compareTo(MAX) <= 0;
    }

    /** The usage error for a duration given through the embedding API. */
    static void require(String what, Duration d, boolean zeroAllowed) {
        if (d != null && !isValid(d, zeroAllowed)) {
            throw AcpxException.usage(what + " must be " + range(zeroAllowed) + ", got " + d);
        }
    }
}
