package dev.acpx.cli.output;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * The note for {@code json}, or null when the Node acpx prints nothing for it here. Read as a
     * stream: a method is known from its name alone, so a big {@code session/update} or answer is
     * skipped unread; only an error, or an answer that names a permission notice, is read as a tree.
     */
    Note read(String json) {
        try (JsonParser p = mapper.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean hasId = false;
            JsonNode result = null;
            JsonNode error = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "method" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        return TURN_METHODS.contains(p.getText()) ? null : new ClientMethod(p.getText());
                    }
                    case "id" -> {
                        hasId = true;
                        p.skipChildren();
                    }
                    case "error" -> error = mapper.readTree(p);
                    case "result" -> {
                        if (json.contains("permissionNotice")) {
                            result = mapper.readTree(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return note(hasId, result, error);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static Note note(boolean hasId, JsonNode result, JsonNode error) {
        JsonNode notice = result == null ? null : result.path("_meta").path("acpx").path("permissionNotice");
        if (hasId && notice != null && notice.isTextual()) {
            return new PermissionNotice(notice.asText());
        }
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
