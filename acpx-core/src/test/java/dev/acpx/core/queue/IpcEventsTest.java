package dev.acpx.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.acpx.api.AgentSignal;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one mapping between the API's turn events and the queue's IPC records loses nothing, either way. */
class IpcEventsTest {

    @Test
    void everyApiEventSurvivesTheTripThroughItsIpcRecord() {
        List<TurnEvent> events = IpcCodecTest.everyEvent();
        assertEquals(permitted(TurnEvent.class), classes(events), "the fixture must hold every TurnEvent record");
        for (TurnEvent event : events) {
            assertEquals(event, IpcEvents.toApi(IpcEvents.toIpc(event)));
        }
    }

    @Test
    void everyIpcRecordIsMadeByTheMappingAndSurvivesTheTripBack() {
        List<IpcEvent> records = IpcCodecTest.everyEvent().stream().map(IpcEvents::toIpc).toList();
        assertEquals(permitted(IpcEvent.class), classes(records), "an IPC record no API event maps to");
        for (IpcEvent record : records) {
            assertEquals(record, IpcEvents.toIpc(IpcEvents.toApi(record)));
        }
    }

    @Test
    void everySignalKindIsMappedBothWays() {
        List<AgentSignal> signals = IpcCodecTest.everyEvent().stream()
                .filter(e -> e instanceof TurnEvent.Signal).map(e -> ((TurnEvent.Signal) e).signal()).toList();
        assertEquals(permitted(AgentSignal.class), classes(signals), "the fixture must hold every AgentSignal");
        List<IpcSignal> wire = signals.stream().map(IpcEvents::toIpc).toList();
        assertEquals(permitted(IpcSignal.class), classes(wire));
        assertEquals(signals, wire.stream().map(IpcEvents::toApi).toList());
    }

    @Test
    void aTurnResultKeepsEverythingButTheCallersOwnRequestId() {
        TurnResult full = new TurnResult(new StopReason("refusal"), 2, 3, "acp-1", "rec-1", "req-9");
        IpcTurnResult wire = IpcEvents.toIpc(full);
        assertEquals(new IpcTurnResult("refusal", 2, 3, "acp-1", "rec-1"), wire);
        TurnResult back = IpcEvents.toApi(wire);
        assertEquals(new TurnResult(new StopReason("refusal"), 2, 3, "acp-1", "rec-1"), back);
        assertNull(back.requestId());
        assertEquals(back, IpcEvents.toApi(IpcEvents.toIpc(back)));
    }

    private static Set<Class<?>> permitted(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses()).collect(Collectors.toSet());
    }

    private static Set<Class<?>> classes(List<?> values) {
        return values.stream().map(Object::getClass).collect(Collectors.toSet());
    }
}
