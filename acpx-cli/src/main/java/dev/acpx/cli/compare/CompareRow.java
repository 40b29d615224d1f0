package dev.acpx.cli.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One agent's line of a {@code compare} (the Node acpx 0.19.1's {@code CompareRow}): how its
 * one-shot run ended, how long it took from spawn to cleanup, its token usage when the agent
 * reported it, the start of its answer, and its permission counts.
 *
 * @param status ok, cancelled, error or permission_denied
 * @param stopReason null when the run failed
 * @param finalMessage whitespace collapsed, at most 200 characters
 * @param error null, or the failure's message collapsed and cut the same way
 * @param meta the {@code _meta} of the prompt's response (a finished run), or null
 */
public record CompareRow(String agent, String status, String stopReason, long wallMs, Long inputTokens,
                         Long outputTokens, Long totalTokens, String finalMessage, String error,
                         int permissionRequests, int permissionDenied, JsonNode meta) {

    /** A row without a response {@code _meta}. */
    public CompareRow(String agent, String status, String stopReason, long wallMs, Long inputTokens,
                      Long outputTokens, Long totalTokens, String finalMessage, String error,
                      int permissionRequests, int permissionDenied) {
        this(agent, status, stopReason, wallMs, inputTokens, outputTokens, totalTokens, finalMessage, error,
                permissionRequests, permissionDenied, null);
    }

    public static final String OK = "ok";
    public static final String CANCELLED = "cancelled";
    public static final String ERROR = "error";
    public static final String PERMISSION_DENIED = "permission_denied";

    /** The same row marked cancelled by an interrupt. */
    public CompareRow interrupted() {
        return new CompareRow(agent, CANCELLED, stopReason, wallMs, inputTokens, outputTokens, totalTokens,
                finalMessage, "Interrupted", permissionRequests, permissionDenied, meta);
    }

    /** The command's exit code: any error 1, else any permission_denied 5, else any cancelled 3, else 0. */
    public static int exitCode(List<CompareRow> rows) {
        if (rows.stream().anyMatch(r -> ERROR.equals(r.status()))) {
            return 1;
        }
        if (rows.stream().anyMatch(r -> PERMISSION_DENIED.equals(r.status()))) {
            return 5;
        }
        return rows.stream().anyMatch(r -> CANCELLED.equals(r.status())) ? 3 : 0;
    }
}
