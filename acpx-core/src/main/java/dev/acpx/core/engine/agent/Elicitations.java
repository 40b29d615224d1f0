package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AgentSignal;
import dev.acpx.api.PermissionPolicies;

/**
 * Answers ACP {@code elicitation/create}: asked of the person the turn's permission questions go
 * to (this terminal in {@code exec}, the caller's terminal in {@code prompt}); declined when nobody
 * can be asked, outside a turn, and for modes this client does not know (the schema forbids
 * treating them as known ones).
 */
public final class Elicitations {
    private Elicitations() {}

    /** The response to send, and what to show of it. */
    public record Outcome(ObjectNode response, AgentSignal.Elicitation signal) {}

    public static Outcome answer(JsonNode params, PermissionPolicies.Prompter person) {
        String mode = params.path("mode").asText(null);
        String message = params.path("message").asText("");
        String url = params.path("url").asText(null);
        String header = "[elicitation] " + oneLine(message) + "\n";
        String action;
        ObjectNode content = null;
        if (person == null || mode == null) {
            action = "decline";
        } else if (mode.equals("url")) {
            // The person opens the URL themselves; acpx never opens a browser for an agent.
            action = person.confirm(header + "  open: " + oneLine(String.valueOf(url)) + "\n  Done there? (y/N) ")
                    ? "accept" : "decline";
        } else if (mode.equals("form")) {
            try {
                content = ElicitationForm.fill(params.path("requestedSchema"), header, person);
                action = "accept";
            } catch (ElicitationForm.Refused e) {
                action = "decline";
            }
        } else {
            action = "decline";
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode().put("action", action);
        if (content != null) {
            response.set("content", content);
        }
        return new Outcome(response, new AgentSignal.Elicitation(mode, message, url, action));
    }

    /** Agent text shown in a question: control characters would be obeyed by the terminal. */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : '?');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
