package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;
import java.io.IOException;

/**
 * What a watcher sees while a session is loaded: the raw messages of the load itself, never the
 * history the agent replays ({@code session/update} notifications, raw or translated), since that
 * history was shown when it happened.
 */
final class ReplayFilter implements TurnListener {
    private final TurnListener target;
    private final JsonFactory factory;

    ReplayFilter(TurnListener target, JsonFactory factory) {
        this.target = target;
        this.factory = factory;
    }

    @Override
    public boolean wants(Class<? extends TurnEvent> kind) {
        return (kind == TurnEvent.Wire.class || kind == TurnEvent.AgentStderr.class) && target.wants(kind);
    }

    @Override
    public long maxWireChars() {
        return target.maxWireChars();
    }

    @Override
    public boolean wantsUpdateWire() {
        return target.wantsUpdateWire();
    }

    @Override
    public void onEvent(TurnEvent event) {
        if (event instanceof TurnEvent.Wire w && !isSessionUpdate(w.json())) {
            target.onEvent(event);
        } else if (event instanceof TurnEvent.AgentStderr) {
            target.onEvent(event);
        }
    }

    /** Reads only the top-level {@code method}; values are skipped unread (a replay can be large). */
    private boolean isSessionUpdate(String json) {
        try (JsonParser p = factory.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("method".equals(name)) {
                    return value == JsonToken.VALUE_STRING && "session/update".equals(p.getText());
                }
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
