package dev.acpx.api;

import java.time.Instant;

/** One turn of a session's history: who spoke, when (if known), and a preview of the text. */
public record HistoryItem(String role, Instant timestamp, String text) {}
