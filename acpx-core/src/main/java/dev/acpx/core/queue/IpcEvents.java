package dev.acpx.core.queue;

import dev.acpx.api.AgentSignal;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;

/**
 * The one place where the API's turn events and results become the queue's IPC records and back:
 * the owner maps each event as its outbox takes it ({@link QueuedTurn}), the caller maps each reply
 * as it hands it to its listener ({@link OwnerClient}). Nothing else in the queue names both.
 */
final class IpcEvents {

    private IpcEvents() {}

    static IpcEvent toIpc(TurnEvent event) {
        return switch (event) {
            case TurnEvent.AgentText e -> new IpcEvent.AgentText(e.text());
            case TurnEvent.Thought e -> new IpcEvent.Thought(e.text());
            case TurnEvent.UserText e -> new IpcEvent.UserText(e.text());
            case TurnEvent.ToolCall e -> new IpcEvent.ToolCall(e.toolCallId(), e.title(), e.kind(), e.status(),
                    e.input(), e.locations(), e.output(), e.readLike(), e.name());
            case TurnEvent.Plan e -> new IpcEvent.Plan(e.entries().stream()
                    .map(p -> new IpcEvent.PlanEntry(p.content(), p.priority(), p.status())).toList());
            case TurnEvent.ModeChanged e -> new IpcEvent.ModeChanged(e.modeId());
            case TurnEvent.PermissionAsked e -> new IpcEvent.PermissionAsked(e.title(), e.kind(), e.outcome(),
                    e.optionId());
            case TurnEvent.PermissionEscalated e -> new IpcEvent.PermissionEscalated(e.sessionId(), e.toolCallId(),
                    e.toolName(), e.toolTitle(), e.toolInput(), e.toolKind(), e.matchedRule(), e.message(),
                    e.timestamp());
            case TurnEvent.ClientOperation e -> new IpcEvent.ClientOperation(e.method(), e.summary(), e.status(),
                    e.details());
            case TurnEvent.Signal e -> new IpcEvent.Signal(toIpc(e.signal()));
            case TurnEvent.OtherUpdate e -> new IpcEvent.OtherUpdate(e.sessionUpdate());
            case TurnEvent.Wire e -> new IpcEvent.Wire(e.direction() == TurnEvent.Direction.TO_AGENT
                    ? IpcEvent.WireDirection.TO_AGENT : IpcEvent.WireDirection.FROM_AGENT, e.json());
            case TurnEvent.AgentStderr e -> new IpcEvent.AgentStderr(e.line());
            case TurnEvent.Done e -> new IpcEvent.Done(e.stopReason().value());
        };
    }

    static TurnEvent toApi(IpcEvent event) {
        return switch (event) {
            case IpcEvent.AgentText e -> new TurnEvent.AgentText(e.text());
            case IpcEvent.Thought e -> new TurnEvent.Thought(e.text());
            case IpcEvent.UserText e -> new TurnEvent.UserText(e.text());
            case IpcEvent.ToolCall e -> new TurnEvent.ToolCall(e.toolCallId(), e.title(), e.kind(), e.status(),
                    e.input(), e.locations(), e.output(), e.readLike(), e.name());
            case IpcEvent.Plan e -> new TurnEvent.Plan(e.entries().stream()
                    .map(p -> new TurnEvent.PlanEntry(p.content(), p.priority(), p.status())).toList());
            case IpcEvent.ModeChanged e -> new TurnEvent.ModeChanged(e.modeId());
            case IpcEvent.PermissionAsked e -> new TurnEvent.PermissionAsked(e.title(), e.kind(), e.outcome(),
                    e.optionId());
            case IpcEvent.PermissionEscalated e -> new TurnEvent.PermissionEscalated(e.sessionId(), e.toolCallId(),
                    e.toolName(), e.toolTitle(), e.toolInput(), e.toolKind(), e.matchedRule(), e.message(),
                    e.timestamp());
            case IpcEvent.ClientOperation e -> new TurnEvent.ClientOperation(e.method(), e.summary(), e.status(),
                    e.details());
            case IpcEvent.Signal e -> new TurnEvent.Signal(toApi(e.signal()));
            case IpcEvent.OtherUpdate e -> new TurnEvent.OtherUpdate(e.sessionUpdate());
            case IpcEvent.Wire e -> new TurnEvent.Wire(e.direction() == IpcEvent.WireDirection.TO_AGENT
                    ? TurnEvent.Direction.TO_AGENT : TurnEvent.Direction.FROM_AGENT, e.json());
            case IpcEvent.AgentStderr e -> new TurnEvent.AgentStderr(e.line());
            case IpcEvent.Done e -> new TurnEvent.Done(new StopReason(e.stopReason()));
        };
    }

    static IpcSignal toIpc(AgentSignal signal) {
        return switch (signal) {
            case AgentSignal.Usage u -> new IpcSignal.Usage(u.used(), u.size(), u.costAmount(), u.costCurrency(),
                    u.inputTokens(), u.outputTokens(), u.totalTokens());
            case AgentSignal.Info i -> new IpcSignal.Info(i.title(), i.updatedAt());
            case AgentSignal.Notice n -> new IpcSignal.Notice(n.severity(), n.title());
            case AgentSignal.Compaction c -> new IpcSignal.Compaction(c.compactionId(), c.status(), c.summary(),
                    c.error());
            case AgentSignal.CompactionSummary c -> new IpcSignal.CompactionSummary(c.compactionId(), c.text());
            case AgentSignal.Elicitation e -> new IpcSignal.Elicitation(e.mode(), e.message(), e.url(), e.action());
        };
    }

    static AgentSignal toApi(IpcSignal signal) {
        return switch (signal) {
            case IpcSignal.Usage u -> new AgentSignal.Usage(u.used(), u.size(), u.costAmount(), u.costCurrency(),
                    u.inputTokens(), u.outputTokens(), u.totalTokens());
            case IpcSignal.Info i -> new AgentSignal.Info(i.title(), i.updatedAt());
            case IpcSignal.Notice n -> new AgentSignal.Notice(n.severity(), n.title());
            case IpcSignal.Compaction c -> new AgentSignal.Compaction(c.compactionId(), c.status(), c.summary(),
                    c.error());
            case IpcSignal.CompactionSummary c -> new AgentSignal.CompactionSummary(c.compactionId(), c.text());
            case IpcSignal.Elicitation e -> new AgentSignal.Elicitation(e.mode(), e.message(), e.url(), e.action());
        };
    }

    /** The owner's result: the request id is the caller's own, never carried back. */
    static IpcTurnResult toIpc(TurnResult result) {
        return new IpcTurnResult(result.stopReason().value(), result.permissionsGranted(),
                result.permissionsDenied(), result.sessionId(), result.recordId());
    }

    static TurnResult toApi(IpcTurnResult result) {
        return new TurnResult(new StopReason(result.stopReason()), result.permissionsGranted(),
                result.permissionsDenied(), result.sessionId(), result.recordId());
    }
}
