package dev.acpx.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;

/**
 * What the Node acpx's text format prints for one raw ACP message (its {@code onAcpMessage}): a
 * request or notification other than the turn's own becomes {@code [client] <method> (running)};
 * an error answer becomes {@code [error] RUNTIME: <details or message>}; an answer carrying
 * {@code _meta.acpx.permissionNotice} becomes a {@code [permission]} line. Session updates and the
 * prompt's answer are rendered from their typed events instead.
 */
final class WireNotes {
    /** The turn's own methods, which the Node acpx does not list as client operations. */
    private static final Set<String> TURN_METHODS = Set.of("session/prompt", "session/cancel", "session/update");

    sealed interface Note {}

    record ClientMethod(String method) implements Note {}

    record ErrorAnswer(String message) implements Note {}

    record PermissionNotice(String text) implements Note {}

    private final ObjectMapper mapper;

    WireNotes(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The note for {@code json}, or null when the Node acpx prints nothing for it here. */
    Note read(String json) {
        JsonNode m;
        try {
            m = mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
        if (m == null || !m.isObject()) {
            return null;
        }
        JsonNode notice = m.path("result").path("_meta").path("acpx").path("permissionNotice");
        if (m.has("id") && m.has("result") && notice.isTextual()) {
            return new PermissionNotice(notice.asText());
        }
        if (m.has("method")) {
            String method = m.get("method").asText();
            return TURN_METHODS.contains(method) ? null : new ClientMethod(method);
        }
        JsonNode error = m.get("error");
        if (error != null && error.isObject() && error.path("message").isTextual()) {
            JsonNode details = error.path("data").path("details");
            if (details.isTextual() && !details.asText().isBlank()) {
                return new ErrorAnswer(details.asText().trim());
            }
            return new ErrorAnswer(error.get("message").asText());
        }
        return null;
    }
}
