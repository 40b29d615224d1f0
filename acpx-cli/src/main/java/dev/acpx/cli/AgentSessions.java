package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code sessions list} answered by the agent ({@code session/list}), as the Node acpx 0.19.1 prints it. */
final class AgentSessions {
    private final LocalOutput out;

    AgentSessions(LocalOutput out) {
        this.out = out;
    }

    void print(String resultJson) {
        if (out.json()) {
            out.stdout().println(resultJson);
            return;
        }
        JsonNode result = out.readTree(resultJson);
        if (out.quiet()) {
            result.path("sessions").forEach(s -> out.stdout().println(s.path("sessionId").asText()));
            return;
        }
        if (result.path("sessions").isEmpty()) {
            out.stdout().println("No sessions");
        }
        for (JsonNode s : result.path("sessions")) {
            out.stdout().println(s.path("sessionId").asText() + "\t" + orDash(s, "title") + "\t" + s.path("cwd").asText()
                    + "\t" + orDash(s, "updatedAt") + "\t" + (s.path("_meta").isObject() ? s.get("_meta").toString() : "-"));
        }
        if (result.path("nextCursor").isTextual() && !result.get("nextCursor").asText().isEmpty()) {
            out.stdout().println("Next cursor: " + result.get("nextCursor").asText());
        }
    }

    private static String orDash(JsonNode s, String key) {
        JsonNode v = s.get(key);
        return v == null || v.isNull() ? "-" : v.asText();
    }
}
