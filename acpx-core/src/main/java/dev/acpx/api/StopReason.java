package dev.acpx.api;

/**
 * Why a turn ended, as the agent said it (ACP {@code stopReason}); unknown values from newer
 * agents are kept verbatim.
 */
public record StopReason(String value) {
    public static final StopReason END_TURN = new StopReason("end_turn");
    public static final StopReason CANCELLED = new StopReason("cancelled");

    public StopReason {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("stop reason must not be blank");
        }
    }

    public boolean isCancelled() {
        return "cancelled".equals(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
