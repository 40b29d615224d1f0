package dev.acpx.core.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnEvent.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Journaled messages read back as a live turn's events: direction, translated updates, merged tool calls. */
class JournalTurnEventsTest {
    private final JournalTurnEvents events = new JournalTurnEvents(new ObjectMapper());

    @Test
    void everyMessageIsItsWireEventWithTheDirectionItWent() {
        assertEquals(Direction.TO_AGENT, wire("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{}}"));
        // the agent's request with the same id as ours: each answer goes the other way of its own request
        assertEquals(Direction.FROM_AGENT, wire("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"fs/read_text_file\",\"params\":{}}"));
        assertEquals(Direction.TO_AGENT, wire("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"content\":\"x\"}}"));
        assertEquals(Direction.FROM_AGENT, wire("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{}}"));
        assertEquals(Direction.FROM_AGENT, wire("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"terminal/create\",\"params\":{}}"));
        assertEquals(Direction.TO_AGENT, wire("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32603,\"message\":\"no\"}}"));
        assertEquals(Direction.TO_AGENT, wire("{\"jsonrpc\":\"2.0\",\"method\":\"session/cancel\",\"params\":{}}"));
        List<TurnEvent> notJson = events.events("not json");
        assertEquals(List.of(new TurnEvent.Wire(Direction.FROM_AGENT, "not json")), notJson);
    }

    @Test
    void sessionUpdatesAreTranslatedAndToolCallsMergedUntilTheTurnEnds() {
        List<TurnEvent> text = events.events(update("{\"sessionUpdate\":\"agent_thought_chunk\",\"content\":{\"type\":\"text\",\"text\":\"hmm\"}}"));
        assertEquals(2, text.size());
        assertEquals(Direction.FROM_AGENT, ((TurnEvent.Wire) text.get(0)).direction());
        assertEquals(new TurnEvent.Thought("hmm"), text.get(1));
        assertEquals(new TurnEvent.Plan(List.of(new TurnEvent.PlanEntry("Do it", "high", "pending"))), events.events(update(
                "{\"sessionUpdate\":\"plan\",\"entries\":[{\"content\":\"Do it\",\"priority\":\"high\",\"status\":\"pending\"}]}")).get(1));

        events.events(update("{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"t1\",\"title\":\"Read a.txt\",\"kind\":\"read\",\"status\":\"pending\"}"));
        String done = update("{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"t1\",\"status\":\"completed\",\"rawOutput\":\"one\"}");
        TurnEvent.ToolCall merged = (TurnEvent.ToolCall) events.events(done).get(1);
        assertEquals("Read a.txt", merged.title(), "the update carries what the call announced");
        assertEquals("read", merged.kind());
        assertEquals("one", merged.output());

        events.reset();
        assertNull(((TurnEvent.ToolCall) events.events(done).get(1)).title(), "a new turn knows none of the last one's calls");
    }

    private Direction wire(String json) {
        List<TurnEvent> e = events.events(json);
        assertEquals(1, e.size(), e::toString);
        return ((TurnEvent.Wire) e.get(0)).direction();
    }

    private static String update(String update) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"s\",\"update\":" + update + "}}";
    }
}
