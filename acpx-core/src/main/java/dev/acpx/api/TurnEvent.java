package dev.acpx.api;

import java.util.List;

/**
 * Everything a host can observe during a turn, as typed values. The set is closed so a
 * renderer's {@code switch} is exhaustive; ACP updates this version does not know arrive
 * as {@link OtherUpdate} rather than being dropped.
 */
public sealed interface TurnEvent {

    /** A piece of the assistant's answer, in stream order. */
    record AgentText(String text) implements TurnEvent {}

    /** A piece of the agent's reasoning. */
    record Thought(String text) implements TurnEvent {}

    /** A piece of a user message replayed by the agent (for example on session load). */
    record UserText(String text) implements TurnEvent {}

    /**
     * The merged state of one tool call after a {@code tool_call} or {@code tool_call_update}.
     * Summaries are plain text already: {@code input} is a one-line summary of the raw input,
     * {@code output} the text of the raw output and content (null until the call finishes).
     */
    record ToolCall(String toolCallId, String title, String kind, String status,
                    String input, List<String> locations, String output, boolean readLike, String name)
            implements TurnEvent {
        public ToolCall {
            locations = locations == null ? List.of() : List.copyOf(locations);
        }

        /** Without the tool's {@code name} (ACP 2026; null when the agent sends none). */
        public ToolCall(String toolCallId, String title, String kind, String status, String input,
                        List<String> locations, String output, boolean readLike) {
            this(toolCallId, title, kind, status, input, locations, output, readLike, null);
        }

        /** True once the call reached {@code completed} or {@code failed}. */
        public boolean isFinal() {
            return "completed".equals(status) || "failed".equals(status);
        }
    }

    /** The agent's current plan (each update replaces the previous one). */
    record Plan(List<PlanEntry> entries) implements TurnEvent {
        public Plan {
            entries = List.copyOf(entries);
        }
    }

    /** One entry of a plan. */
    record PlanEntry(String content, String priority, String status) {}

    /** The session's mode changed. */
    record ModeChanged(String modeId) implements TurnEvent {}

    /** The agent asked for permission and the policy answered. */
    record PermissionAsked(String title, String kind, String outcome, String optionId)
            implements TurnEvent {}

    /**
     * A permission policy rule said escalate and nobody could be asked: the tool call was refused
     * and the agent was told so in {@code _meta.acpx.permissionEscalation} (SPEC-P2 §6).
     * {@code toolInput} is the raw input as JSON text; nullable fields are left out of the output.
     */
    record PermissionEscalated(String sessionId, String toolCallId, String toolName, String toolTitle,
                               String toolInput, String toolKind, String matchedRule, String message,
                               String timestamp) implements TurnEvent {}

    /**
     * The agent used a client capability: a file read or write, or a terminal. {@code status} is
     * completed, failed, or denied (refused by the permission mode or policy; {@code details} then
     * says "Permission denied for &lt;method&gt;" or why nobody could be asked).
     */
    record ClientOperation(String method, String summary, String status, String details)
            implements TurnEvent {}

    /** A usage, title, notice, compaction or elicitation from the agent (ACP 2026; see {@link AgentSignal}). */
    record Signal(AgentSignal signal) implements TurnEvent {}

    /** A session update of a kind this version does not render. */
    record OtherUpdate(String sessionUpdate) implements TurnEvent {}

    /** One JSON-RPC message exactly as it crossed the wire. */
    record Wire(Direction direction, String json) implements TurnEvent {}

    /** One line the agent wrote to stderr. */
    record AgentStderr(String line) implements TurnEvent {}

    /** The turn ended with the agent's stop reason. */
    record Done(StopReason stopReason) implements TurnEvent {}

    /** Which way a wire message went. */
    enum Direction { TO_AGENT, FROM_AGENT }
}
