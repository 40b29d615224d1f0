package dev.acpx.core.queue;

/**
 * How the caller's turn ended, as the owner's {@code done} reply carries it: the stop reason's wire
 * value and the permission counts. The API's {@code TurnResult} is made from it at the caller's end.
 */
public record IpcTurnResult(String stopReason, int permissionsGranted, int permissionsDenied, String sessionId,
                     String recordId) {}
