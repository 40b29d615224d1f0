package dev.acpx.core.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.TurnEvent;
import dev.acpx.core.protocol.SessionUpdate;
import org.junit.jupiter.api.Test;

/** Tool-call state is merged within a turn and dropped at its end, so a long-lived session stays small. */
class UpdateTranslatorTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void toolCallStateIsMergedDuringATurnAndForgottenWhenItEnds() {
        UpdateTranslator t = new UpdateTranslator(mapper);
        for (int i = 0; i < 1000; i++) {
            t.translate(new SessionUpdate.ToolCall("call-" + i, "Read file " + i, "read", "pending", null, null,
                    mapper.createObjectNode().put("path", "/big/" + i), null));
        }
        TurnEvent.ToolCall merged = (TurnEvent.ToolCall) t.translate(new SessionUpdate.ToolCallUpdate("call-7", null,
                null, "completed", null, null, null, mapper.createObjectNode().put("bytes", 10)));
        assertEquals("Read file 7", merged.title(), "an update carries the call's merged state");
        assertEquals(1000, t.trackedToolCalls());

        t.endTurn();
        assertEquals(0, t.trackedToolCalls());
        TurnEvent.ToolCall fresh = (TurnEvent.ToolCall) t.translate(new SessionUpdate.ToolCallUpdate("call-7", null,
                null, "completed", null, null, null, null));
        assertNull(fresh.title(), "nothing of the ended turn's call is kept");
    }
}
