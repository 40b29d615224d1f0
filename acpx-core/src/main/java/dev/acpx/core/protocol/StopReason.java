package dev.acpx.core.protocol;

/**
 * Known values of {@link PromptResponse#stopReason()}. Kept as strings, not an enum, so that a
 * reason added by a newer protocol still reaches the caller instead of failing the turn.
 */
public final class StopReason {
    public static final String END_TURN = "end_turn";
    public static final String MAX_TOKENS = "max_tokens";
    public static final String MAX_TURN_REQUESTS = "max_turn_requests";
    public static final String REFUSAL = "refusal";
    public static final String CANCELLED = "cancelled";

    private StopReason() {}
}
