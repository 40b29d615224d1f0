package dev.acpx.api;

/**
 * How a turn ended: the stop reason and what happened to the permissions the agent asked for
 * (a turn where some were denied and none granted is a permission failure, exit 5).
 *
 * @param requestId the queue owner's id of the turn when it was only queued ({@code --no-wait}),
 *                  else null
 */
public record TurnResult(StopReason stopReason, int permissionsGranted, int permissionsDenied,
                         String sessionId, String recordId, String requestId) {

    public TurnResult(StopReason stopReason, int permissionsGranted, int permissionsDenied, String sessionId,
                      String recordId) {
        this(stopReason, permissionsGranted, permissionsDenied, sessionId, recordId, null);
    }

    /** Permissions were requested, none granted, some denied. */
    public boolean permissionDenied() {
        return permissionsDenied > 0 && permissionsGranted == 0;
    }
}
