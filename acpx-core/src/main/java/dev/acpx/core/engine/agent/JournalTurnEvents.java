package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.MessageEvents;
import dev.acpx.api.TurnEvent;
import dev.acpx.core.protocol.SessionNotification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Journaled ACP messages read back as a live turn's events: the same {@link UpdateTranslator} the
 * agent session uses turns each {@code session/update} into its event, and every message is also
 * its raw {@link TurnEvent.Wire}. The journal does not store a message's direction: a request's is
 * known from its method (the client's methods are the agent's requests), an answer's is the
 * opposite of the request it answers.
 */
public final class JournalTurnEvents implements MessageEvents {
    private final ObjectMapper mapper;
    private final UpdateTranslator translator;
    /** Open requests by id (as JSON text), with the direction they went. */
    private final Map<String, TurnEvent.Direction> open = new HashMap<>();

    public JournalTurnEvents(ObjectMapper mapper) {
        this.mapper = mapper;
        this.translator = new UpdateTranslator(mapper);
    }

    @Override
    public List<TurnEvent> events(String json) {
        JsonNode m;
        try {
            m = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return List.of(new TurnEvent.Wire(TurnEvent.Direction.FROM_AGENT, json));
        }
        if (m == null || !m.isObject()) {
            return List.of(new TurnEvent.Wire(TurnEvent.Direction.FROM_AGENT, json));
        }
        List<TurnEvent> out = new ArrayList<>(2);
        JsonNode method = m.get("method");
        JsonNode id = m.get("id");
        if (method != null && method.isTextual()) {
            TurnEvent.Direction d = byMethod(method.asText());
            if (id != null && !id.isNull()) {
                open.put(id.toString(), d);
            }
            out.add(new TurnEvent.Wire(d, json));
            if ("session/update".equals(method.asText())) {
                TurnEvent update = update(m.get("params"));
                if (update != null) {
                    out.add(update);
                }
            }
        } else {
            TurnEvent.Direction asked = id == null ? null : open.remove(id.toString());
            // An answer whose request is not in view (a watch resumed mid-turn): most answers are the agent's.
            out.add(new TurnEvent.Wire(asked == TurnEvent.Direction.FROM_AGENT ? TurnEvent.Direction.TO_AGENT
                    : TurnEvent.Direction.FROM_AGENT, json));
        }
        return out;
    }

    @Override
    public void reset() {
        open.clear();
        translator.endTurn();
    }

    /** The client side's methods (ACP's client interface) are what the agent asks. */
    private static TurnEvent.Direction byMethod(String method) {
        boolean toClient = method.equals("session/update") || method.equals("session/request_permission")
                || method.startsWith("fs/") || method.startsWith("terminal/") || method.startsWith("elicitation/");
        return toClient ? TurnEvent.Direction.FROM_AGENT : TurnEvent.Direction.TO_AGENT;
    }

    private TurnEvent update(JsonNode params) {
        if (params == null || !params.isObject()) {
            return null;
        }
        try {
            SessionNotification n = mapper.treeToValue(params, SessionNotification.class);
            return n == null || n.update() == null ? null : translator.translate(n.update());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null; // a malformed update: the live turn dropped it too
        }
    }
}
