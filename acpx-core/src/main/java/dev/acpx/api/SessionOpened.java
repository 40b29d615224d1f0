package dev.acpx.api;

/**
 * What {@code sessions new} and {@code sessions ensure} did: the session, whether it was created
 * by this call, and the open session it replaced (new only; null when none).
 */
public record SessionOpened(SessionInfo session, boolean created, String replacedRecordId) {}
