package dev.acpx.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionMode;
import dev.acpx.api.PermissionRules;
import dev.acpx.core.engine.HostStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IpcCodecTest {

    // Indentation on: the codec must still write one line per message.
    private final IpcCodec codec = new IpcCodec(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT));

    static List<TurnEvent> everyEvent() {
        return List.of(
                new TurnEvent.AgentText("hello\nworld \"quoted\" ✓"),
                new TurnEvent.Thought("thinking"),
                new TurnEvent.UserText("earlier prompt"),
                new TurnEvent.ToolCall("call-1", "Read a.txt", "read", "completed", "a.txt",
                        List.of("/w/a.txt", "/w/b.txt"), "contents", true),
                new TurnEvent.ToolCall("call-2", "Run", "execute", "pending", null, List.of(), null, false),
                new TurnEvent.Plan(List.of(new TurnEvent.PlanEntry("step 1", "high", "pending"),
                        new TurnEvent.PlanEntry("step 2", "low", "completed"))),
                new TurnEvent.ModeChanged("code"),
                new TurnEvent.PermissionAsked("Write b.txt", "edit", "selected", "allow_once"),
                new TurnEvent.PermissionEscalated("s1", "t1", "Bash", "Bash: ls", "{\"name\":\"Bash\"}", "execute",
                        "bash", "Permission escalation required for Bash: ls", "2026-01-01T00:00:00Z"),
                new TurnEvent.PermissionEscalated("s1", "t1", null, "x", null, null, null, "m", "t"),
                new TurnEvent.ClientOperation("fs/read_text_file", "read a.txt", "ok", "12 lines"),
                new TurnEvent.ToolCall("call-3", "", "other", "completed", null, List.of(), null, false, "surface_tool"),
                new TurnEvent.Signal(new dev.acpx.api.AgentSignal.Usage(1200L, 200000L, 0.0123, "USD", 11L, 22L, 33L)),
                new TurnEvent.Signal(new dev.acpx.api.AgentSignal.Usage(null, null, null, null, null, null, null)),
                new TurnEvent.Signal(new dev.acpx.api.AgentSignal.Info("A title", "2026-11-30T12:00:00Z")),
                new TurnEvent.Signal(new dev.acpx.api.AgentSignal.Notice("warning", "Rate limit")),
                new TurnEvent.Signal(new dev.acpx.api.AgentSignal.Compaction("c1", "failed", null, "too big")),
                new TurnEvent.Signal(new dev.acpx.api.AgentSignal.CompactionSummary("c1", "older turns")),
                new TurnEvent.Signal(new dev.acpx.api.AgentSignal.Elicitation("form", "Who?", null, "decline")),
                new TurnEvent.OtherUpdate("available_commands_update"),
                new TurnEvent.Wire(TurnEvent.Direction.TO_AGENT, "{\"jsonrpc\":\"2.0\",\"id\":1}"),
                new TurnEvent.Wire(TurnEvent.Direction.FROM_AGENT, "{\"jsonrpc\":\"2.0\",\"result\":{}}"),
                new TurnEvent.AgentStderr("warning: x"),
                new TurnEvent.Done(new StopReason("max_tokens")));
    }

    @Test
    void everyTurnEventRecordRoundTrips() throws Exception {
        List<TurnEvent> events = everyEvent();
        Set<Class<?>> covered = events.stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> all = Arrays.stream(TurnEvent.class.getPermittedSubclasses()).collect(Collectors.toSet());
        assertEquals(all, covered, "the fixture must hold every TurnEvent record");
        for (TurnEvent event : events) {
            IpcReply reply = new IpcReply.Event(IpcEvents.toIpc(event));
            String line = codec.encode(reply);
            assertFalse(line.contains("\n"), line);
            assertEquals(reply, codec.decodeReply(line));
        }
    }

    /**
     * The queue's records are a type boundary, not a protocol change: every event and result is
     * written byte for byte as the build before them wrote it (lines recorded from that build).
     */
    @Test
    void everyEventAndResultKeepsItsRecordedWireForm() throws Exception {
        List<String> golden;
        try (var in = IpcCodecTest.class.getResourceAsStream("/ipc/events.golden")) {
            golden = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        IpcCodec compact = new IpcCodec(new ObjectMapper());
        List<String> written = new java.util.ArrayList<>();
        for (TurnEvent event : everyEvent()) {
            written.add(compact.encode(new IpcReply.Event(IpcEvents.toIpc(event))));
        }
        written.add(compact.encode(new IpcReply.Done(IpcEvents.toIpc(new TurnResult(StopReason.END_TURN, 1, 2, "s1",
                "rec")))));
        written.add(compact.encode(new IpcReply.Done(IpcEvents.toIpc(new TurnResult(StopReason.CANCELLED, 0, 0, null,
                "rec")))));
        assertEquals(golden, written);
        for (String line : golden) {
            assertEquals(line, compact.encode(compact.decodeReply(line)), "decode then encode changes " + line);
        }
    }

    @Test
    void eventsCarryExplicitTypeTags() {
        String line = codec.encode(new IpcReply.Event(new IpcEvent.AgentText("x")));
        assertEquals("{\"type\":\"event\",\"event\":{\"type\":\"agent_text\",\"text\":\"x\"}}", line);
    }

    @Test
    void unknownEventTypeFromANewerOwnerBecomesOtherUpdate() throws Exception {
        IpcReply reply = codec.decodeReply("{\"type\":\"event\",\"event\":{\"type\":\"hologram\",\"x\":1}}");
        assertEquals(new IpcReply.Event(new IpcEvent.OtherUpdate("hologram")), reply);
    }

    @Test
    void everyRequestRoundTrips() throws Exception {
        List<IpcRequest> requests = List.of(
                new IpcRequest.Submit("r1", new TurnRequest("do it", PermissionMode.APPROVE_ALL,
                        NonInteractivePermissions.FAIL, 1500L, true), true),
                new IpcRequest.Submit("r2", TurnRequest.of("plain"), false),
                new IpcRequest.Submit("r3", new TurnRequest("quiet one", PermissionMode.DENY_ALL,
                        NonInteractivePermissions.DENY, null, false, new EventInterest(false, true)), false),
                new IpcRequest.Submit("r5", new TurnRequest("ruled", PermissionMode.DENY_ALL,
                        NonInteractivePermissions.DENY, null, true, new PermissionRules(List.of("Read", "*"),
                        List.of("bash"), List.of(), PermissionRules.Action.ESCALATE)), false),
                new IpcRequest.Submit("r6", new TurnRequest("no default", PermissionMode.APPROVE_READS,
                        NonInteractivePermissions.DENY, null, false, new PermissionRules(List.of(), List.of(),
                        List.of("edit"), null)), false),
                new IpcRequest.Submit("r7", new TurnRequest("retried", PermissionMode.APPROVE_READS,
                        NonInteractivePermissions.DENY, null, false, EventInterest.ALL, null, 3), false),
                new CallerAnswer("q1", CallerAnswer.YES),
                new CallerAnswer("q2", null),
                new IpcRequest.Cancel("r1"),
                new IpcRequest.Cancel(null),
                new IpcRequest.SetMode("code"),
                new IpcRequest.SetConfig("model", "gpt-5"),
                new IpcRequest.Status(),
                new IpcRequest.Ping());
        for (IpcRequest request : requests) {
            assertEquals(request, codec.decodeRequest(codec.encode(request)));
        }
    }

    @Test
    void everyReplyRoundTrips() throws Exception {
        OwnerStatus status = new OwnerStatus("rec", 12, Instant.parse("2025-01-02T03:04:05Z"), "running", "r1", 3,
                7, null, 300000, new HostStatus(99L, "codex", "/w", "s1", "a1", "code"));
        List<IpcReply> replies = List.of(
                new IpcReply.Accepted("r1", 4),
                new IpcReply.Done(new IpcTurnResult("end_turn", 1, 2, "s1", "rec")),
                new IpcReply.Done(new IpcTurnResult("cancelled", 0, 0, null, "rec")),
                new IpcReply.Error(ErrorKind.PERMISSION_PROMPT_UNAVAILABLE, "no tty", false),
                new IpcReply.Error(ErrorKind.RUNTIME, "retiring", true),
                new IpcReply.StatusReply(status),
                new IpcReply.StatusReply(new OwnerStatus("rec", 1, Instant.EPOCH, "starting", null, 0, 0,
                        Instant.EPOCH, 0, null)),
                new IpcReply.Ok(false, "nothing to cancel"),
                new OwnerQuestion("q1", OwnerQuestion.CONFIRM, "\n[permission] Allow write to /w/a?\nhi\nAllow write? (y/N) "));
        for (IpcReply reply : replies) {
            assertEquals(reply, codec.decodeReply(codec.encode(reply)));
        }
    }

    @Test
    void malformedAndUnknownRequestsAreFormatErrorsNotCrashes() {
        for (String line : List.of("not json", "[1,2]", "42", "{}", "{\"type\":\"bogus\"}",
                "{\"type\":\"submit\",\"requestId\":\"r\"}",
                "{\"type\":\"submit\",\"requestId\":\"r\",\"turn\":{\"prompt\":\" \",\"permissionMode\":\"approve-all\","
                        + "\"nonInteractivePermissions\":\"deny\"}}",
                "{\"type\":\"submit\",\"requestId\":\"r\",\"turn\":{\"prompt\":\"x\",\"permissionMode\":\"yolo\","
                        + "\"nonInteractivePermissions\":\"deny\"}}",
                "{\"type\":\"set_mode\"}")) {
            IpcFormatException e = assertThrows(IpcFormatException.class, () -> codec.decodeRequest(line), line);
            assertFalse(e.getMessage().isBlank());
        }
        IpcFormatException unknown = assertThrows(IpcFormatException.class,
                () -> codec.decodeRequest("{\"type\":\"bogus\"}"));
        assertTrue(unknown.getMessage().contains("unknown request type \"bogus\""), unknown.getMessage());
    }

    @Test
    void aCallerThatDoesNotSayWhatItWantsGetsEveryEvent() throws Exception {
        IpcRequest old = codec.decodeRequest("{\"type\":\"submit\",\"requestId\":\"r\",\"turn\":{\"prompt\":\"x\","
                + "\"permissionMode\":\"approve-all\",\"nonInteractivePermissions\":\"deny\"}}");
        assertEquals(EventInterest.ALL, ((IpcRequest.Submit) old).turn().interest());
    }

    /** Past Jackson's default 20-million-character string limit, both ways, through the streaming path. */
    @Test
    void messagesAsLongAsAWholeAgentLineRoundTripAsStreams() throws Exception {
        String raw = "{\"text\":\"" + "q\\\"".repeat(8_000_000) + "\"}";
        IpcReply reply = new IpcReply.Event(new IpcEvent.Wire(IpcEvent.WireDirection.FROM_AGENT, raw));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        codec.write(reply, out);
        assertEquals(reply, codec.decodeReply(new java.io.ByteArrayInputStream(out.toByteArray())));
        IpcRequest submit = new IpcRequest.Submit("big", TurnRequest.of("p".repeat(25_000_000)), false);
        out.reset();
        codec.write(submit, out);
        assertEquals(submit, codec.decodeRequest(new java.io.ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void aLoneSurrogateInAgentTextIsReplacedNotFatal() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        codec.write(new IpcReply.Event(new IpcEvent.AgentText("a\uD800b")), out);
        assertEquals(new IpcReply.Event(new IpcEvent.AgentText("a?b")),
                codec.decodeReply(new java.io.ByteArrayInputStream(out.toByteArray())));
    }
}
