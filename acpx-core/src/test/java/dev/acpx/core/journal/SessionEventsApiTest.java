package dev.acpx.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.SessionEvent;
import dev.acpx.api.TurnEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host reads and follows a session's journal through the public API, as typed events. */
class SessionEventsApiTest {
    @TempDir
    Path tmp;

    @Test
    void readsAndFollowsTypedEventsThroughTheRuntime() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        JournalFixture.turn(w, "req-1", 1, 2);
        w.turnStarted("req-2");
        w.turnResult("req-2", new TurnOutcome.Failed("agent gone", "RUNTIME", "QUEUE_RUNTIME_PROMPT_FAILED"));
        w.close();
        f.store.update("rec-1", r -> {
            r.setClosed(true);
            return true;
        });
        try (AcpxRuntime rt = AcpxRuntime.builder().userHome(tmp).environment(Map.of()).shutdownHook(false).build()) {
            List<SessionEvent> events = rt.sessionEvents().read("rec-1", null);
            assertEquals(8, events.size());
            assertInstanceOf(SessionEvent.TurnStarted.class, events.get(0));
            SessionEvent.Message prompt = assertInstanceOf(SessionEvent.Message.class, events.get(1));
            assertEquals("req-1", prompt.requestId());
            assertEquals("session/prompt", f.mapper.readTree(prompt.json()).path("method").asText());
            // a host renders the message as the live turn showed it: our prompt went to the agent
            assertEquals(List.of(new TurnEvent.Wire(TurnEvent.Direction.TO_AGENT, prompt.json())),
                    rt.sessionEvents().messageEvents().events(prompt.json()));
            SessionEvent.TurnFinished done = assertInstanceOf(SessionEvent.TurnFinished.class, events.get(5));
            assertEquals("completed", done.status());
            assertEquals("end_turn", done.stopReason());
            SessionEvent.TurnFinished failed = assertInstanceOf(SessionEvent.TurnFinished.class, events.get(7));
            assertEquals("failed", failed.status());
            assertEquals("agent gone", failed.errorMessage());

            // the session is closed and ownerless: following replays after the cursor and returns
            List<SessionEvent> followed = new ArrayList<>();
            rt.sessionEvents().follow("rec-1", events.get(4).cursor(), followed::add, () -> false);
            assertEquals(events.subList(5, 8), followed);
        }
    }
}
