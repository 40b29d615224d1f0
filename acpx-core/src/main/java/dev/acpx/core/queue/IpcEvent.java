package dev.acpx.core.queue;

import java.util.List;

/**
 * One event of a caller's running turn as it travels on the queue socket. The queue's own type,
 * not the API's {@code TurnEvent}: the API may grow or change its records without changing what an
 * owner and a caller of different builds exchange. {@link IpcEvents} maps between the two at the
 * owner's outbox and at the caller's end only; {@link IpcEventCodec} gives each record its JSON form.
 */
public sealed interface IpcEvent {

    record AgentText(String text) implements IpcEvent {}

    record Thought(String text) implements IpcEvent {}

    record UserText(String text) implements IpcEvent {}

    /** The merged state of one tool call (summaries already plain text). */
    record ToolCall(String toolCallId, String title, String kind, String status, String input,
                    List<String> locations, String output, boolean readLike, String name) implements IpcEvent {
        public ToolCall {
            locations = locations == null ? List.of() : List.copyOf(locations);
        }
    }

    record Plan(List<PlanEntry> entries) implements IpcEvent {
        public Plan {
            entries = List.copyOf(entries);
        }
    }

    record PlanEntry(String content, String priority, String status) {}

    record ModeChanged(String modeId) implements IpcEvent {}

    record PermissionAsked(String title, String kind, String outcome, String optionId) implements IpcEvent {}

    record PermissionEscalated(String sessionId, String toolCallId, String toolName, String toolTitle,
                               String toolInput, String toolKind, String matchedRule, String message,
                               String timestamp) implements IpcEvent {}

    record ClientOperation(String method, String summary, String status, String details) implements IpcEvent {}

    record Signal(IpcSignal signal) implements IpcEvent {}

    /** An update the sender does not model, or a type tag this build does not know (kept, not dropped). */
    record OtherUpdate(String sessionUpdate) implements IpcEvent {}

    record Wire(WireDirection direction, String json) implements IpcEvent {}

    enum WireDirection { TO_AGENT, FROM_AGENT }

    record AgentStderr(String line) implements IpcEvent {}

    /** The agent's stop reason, as its wire value. */
    record Done(String stopReason) implements IpcEvent {}
}
