package dev.acpx.core.engine;

/** What {@link SessionEngine#cancel} did: {@code applied} false for "nothing to cancel". */
public record CancelResult(boolean applied, String message) {}
