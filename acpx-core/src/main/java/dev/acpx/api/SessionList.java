package dev.acpx.api;

import java.util.List;

/** The sessions found, and the record files that could not be read (reported, never fatal). */
public record SessionList(List<SessionInfo> sessions, List<String> problems) {
    public SessionList {
        sessions = List.copyOf(sessions);
        problems = List.copyOf(problems);
    }
}
