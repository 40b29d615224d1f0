package dev.acpx.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Golden wire messages (from the ACP schema docs and the shared mock agent) survive a round trip. */
class ProtocolJsonTest {

    // A plain mapper on purpose: the records must not depend on the caller's mapper settings.
    private final ObjectMapper mapper = new ObjectMapper();

    static Stream<Arguments> goldens() {
        return Stream.of(
                Arguments.of(InitializeRequest.class, """
                        {"protocolVersion":1,"clientCapabilities":{"fs":{"readTextFile":true,"writeTextFile":true},"terminal":true},
                         "clientInfo":{"name":"acpx","title":"acpx","version":"0.1.0"}}"""),
                Arguments.of(InitializeResponse.class, """
                        {"protocolVersion":1,"agentCapabilities":{"loadSession":true,
                          "promptCapabilities":{"image":false,"audio":false,"embeddedContext":true},
                          "mcpCapabilities":{"http":true,"sse":false},"sessionCapabilities":{"resume":{},"list":{}}},
                         "agentInfo":{"name":"acp-mock-agent","title":"ACP mock agent","version":"0.1.0"},
                         "authMethods":[{"id":"api-key","name":"API key","description":"set KEY"}]}"""),
                Arguments.of(NewSessionRequest.class, """
                        {"cwd":"/home/user/project","mcpServers":[
                          {"name":"fs","command":"/usr/bin/mcp-fs","args":["--root","/"],"env":[{"name":"A","value":"1"}]},
                          {"type":"http","name":"web","url":"https://example.com/mcp","headers":[{"name":"X","value":"y"}]}]}"""),
                Arguments.of(NewSessionResponse.class, """
                        {"sessionId":"sess_abc","modes":{"currentModeId":"default","availableModes":[
                           {"id":"default","name":"Default","description":"Normal mode"},{"id":"plan","name":"Plan"}]},
                         "configOptions":[{"id":"model","name":"Model","description":"Mock model selector","category":"model",
                           "type":"select","currentValue":"mock-default","options":[{"value":"mock-default","name":"Mock default"},
                           {"value":"mock-large","name":"Mock large"}]},
                           {"id":"fast","name":"Fast","type":"boolean","currentValue":true}]}"""),
                Arguments.of(LoadSessionRequest.class, """
                        {"sessionId":"sess_abc","cwd":"/p","mcpServers":[]}"""),
                Arguments.of(ResumeSessionRequest.class, """
                        {"sessionId":"sess_abc","cwd":"/p","mcpServers":[]}"""),
                Arguments.of(PromptRequest.class, """
                        {"sessionId":"sess_abc","prompt":[{"type":"text","text":"Can you analyze this code?"},
                          {"type":"resource","resource":{"uri":"file:///home/user/main.py","mimeType":"text/x-python","text":"def f(): pass"}},
                          {"type":"resource_link","uri":"file:///doc.pdf","name":"doc.pdf","mimeType":"application/pdf","size":1024},
                          {"type":"image","mimeType":"image/png","data":"iVBORw0KGgo="},
                          {"type":"audio","mimeType":"audio/wav","data":"UklGRg=="}]}"""),
                Arguments.of(PromptResponse.class, """
                        {"stopReason":"end_turn"}"""),
                Arguments.of(SetSessionConfigOptionRequest.class, """
                        {"sessionId":"s","configId":"model","value":"mock-large"}"""),
                Arguments.of(SetSessionConfigOptionRequest.class, """
                        {"sessionId":"s","configId":"fast","type":"boolean","value":false}"""),
                Arguments.of(SetSessionModelRequest.class, """
                        {"sessionId":"s","modelId":"x"}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"hi there"}}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"agent_thought_chunk","content":{"type":"text","text":"hmm"}}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"user_message_chunk","content":{"type":"text","text":"echo hi"},"messageId":"m1"}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"tool_call","toolCallId":"read-1","title":"Read /p/a.txt",
                          "kind":"read","status":"pending","locations":[{"path":"/p/a.txt"}],"rawInput":{"path":"/p/a.txt"}}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"tool_call_update","toolCallId":"read-1","status":"completed",
                          "content":[{"type":"content","content":{"type":"text","text":"first line"}},
                                     {"type":"diff","path":"/p/a.txt","oldText":"a","newText":"b"},
                                     {"type":"terminal","terminalId":"term-1"}],
                          "rawOutput":{"bytes":10,"firstLine":"first line"}}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"plan","entries":[
                          {"content":"Inspect the repository","priority":"high","status":"completed"},
                          {"content":"Run the tests","priority":"low","status":"pending"}]}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"available_commands_update","availableCommands":[
                          {"name":"web","description":"Search the web","input":{"hint":"query"}}]}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"current_mode_update","currentModeId":"plan"}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"config_option_update","configOptions":[{"id":"model",
                          "name":"Model","category":"model","type":"select","currentValue":"x","options":[
                          {"group":"fast","name":"Fast models","options":[{"value":"x","name":"X"}]}]}]}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"session_info_update","title":"Fix the bug","updatedAt":"2025-01-01T00:00:00Z"}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"usage_update","used":1200,"size":200000,"cost":{"amount":0.01,"currency":"USD"}}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"usage_update","used":1,"size":2,
                          "_meta":{"usage":{"input_tokens":11,"output_tokens":22}}}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"notice","severity":"warning","title":"Rate limit"}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"compaction_update","compactionId":"c1","status":"completed",
                          "summary":[{"type":"text","text":"kept"}]}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"compaction_update","compactionId":"c1","status":"failed",
                          "error":"too big"}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"compaction_summary_chunk","compactionId":"c1",
                          "content":{"type":"text","text":"older"}}}"""),
                Arguments.of(SessionNotification.class, """
                        {"sessionId":"s","update":{"sessionUpdate":"tool_call","toolCallId":"t","title":"","kind":"other",
                          "status":"completed","name":"surface_tool"}}"""),
                Arguments.of(ClientCapabilities.class, """
                        {"fs":{"readTextFile":true,"writeTextFile":false},"terminal":true,
                         "session":{"compaction":{},"notices":{}},"elicitation":{"form":{},"url":{}}}"""),
                Arguments.of(CloseSessionRequest.class, """
                        {"sessionId":"s"}"""),
                Arguments.of(RequestPermissionRequest.class, """
                        {"sessionId":"s","toolCall":{"toolCallId":"write-1","title":"Write /p/x","kind":"edit","status":"pending",
                          "locations":[{"path":"/p/x"}],"rawInput":{"path":"/p/x","content":"x"}},
                         "options":[{"optionId":"allow-once","name":"Allow once","kind":"allow_once"},
                                    {"optionId":"reject-once","name":"Reject","kind":"reject_once"}]}"""),
                Arguments.of(RequestPermissionResponse.class, """
                        {"outcome":{"outcome":"selected","optionId":"allow-once"}}"""),
                Arguments.of(RequestPermissionResponse.class, """
                        {"outcome":{"outcome":"cancelled"}}"""),
                Arguments.of(ReadTextFileRequest.class, """
                        {"sessionId":"s","path":"/p/a.txt","line":10,"limit":50}"""),
                Arguments.of(WriteTextFileRequest.class, """
                        {"sessionId":"s","path":"/p/a.txt","content":"x"}"""),
                Arguments.of(CreateTerminalRequest.class, """
                        {"sessionId":"s","command":"/bin/sh","args":["-c","ls"],"env":[{"name":"A","value":"b"}],"cwd":"/p","outputByteLimit":65536}"""),
                Arguments.of(TerminalOutputResponse.class, """
                        {"output":"hello\\n","truncated":false,"exitStatus":{"exitCode":0}}"""),
                Arguments.of(WaitForTerminalExitResponse.class, """
                        {"signal":"SIGTERM"}"""),
                Arguments.of(CancelNotification.class, """
                        {"sessionId":"s"}"""));
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void roundTrips(Class<?> type, String json) throws Exception {
        JsonNode wire = mapper.readTree(json);
        Object value = mapper.treeToValue(wire, type);
        JsonNode back = mapper.valueToTree(value);
        // Numbers compare by value: a long field re-serialises 1024 as a LongNode, the parser gave an IntNode.
        assertTrue(wire.equals(ProtocolJsonTest::compareNumbersByValue, back), type.getSimpleName() + "\n" + wire + "\n" + back);
        // and the typed form reads back equal
        assertEquals(value, mapper.treeToValue(mapper.valueToTree(value), type));
    }

    private static int compareNumbersByValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    }

    @Test
    void knownCasesBindToTheirRecords() throws Exception {
        SessionNotification n = mapper.readValue("""
                {"sessionId":"s","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"hi"}}}""",
                SessionNotification.class);
        SessionUpdate.AgentMessageChunk chunk = assertInstanceOf(SessionUpdate.AgentMessageChunk.class, n.update());
        assertEquals("hi", assertInstanceOf(ContentBlock.Text.class, chunk.content()).text());

        NewSessionResponse r = mapper.readValue("""
                {"sessionId":"x","configOptions":[{"id":"model","name":"Model","category":"model","type":"select",
                 "currentValue":"a","options":[{"group":"g","name":"G","options":[{"value":"a","name":"A"},{"value":"b","name":"B"}]}]}]}""",
                NewSessionResponse.class);
        SessionConfigOption.Select select = assertInstanceOf(SessionConfigOption.Select.class, r.configOptions().get(0));
        assertEquals(List.of("a", "b"), select.values().stream().map(SelectOption::value).toList());
        assertEquals("model", select.category());
    }

    @Test
    void unknownUnionCasesAreKeptVerbatim() throws Exception {
        String json = """
                {"sessionId":"s","update":{"sessionUpdate":"future_thing","content":{"type":"hologram","depth":3},"x":[1,2]}}""";
        SessionNotification n = mapper.readValue(json, SessionNotification.class);
        SessionUpdate.Unknown unknown = assertInstanceOf(SessionUpdate.Unknown.class, n.update());
        assertEquals("future_thing", unknown.kind());
        assertEquals(mapper.readTree(json), mapper.valueToTree(n));

        ContentBlock block = mapper.readValue("{\"type\":\"hologram\",\"depth\":3}", ContentBlock.class);
        assertInstanceOf(ContentBlock.Unknown.class, block);
        ToolCallContent content = mapper.readValue("{\"type\":\"video\"}", ToolCallContent.class);
        assertInstanceOf(ToolCallContent.Unknown.class, content);
        RequestPermissionOutcome outcome = mapper.readValue("{\"outcome\":\"deferred\"}", RequestPermissionOutcome.class);
        assertInstanceOf(RequestPermissionOutcome.Unknown.class, outcome);
        SessionConfigOption option = mapper.readValue("{\"id\":\"t\",\"name\":\"Temp\",\"type\":\"slider\",\"min\":0}",
                SessionConfigOption.class);
        assertEquals("t", assertInstanceOf(SessionConfigOption.Unknown.class, option).id());
        McpServer server = mapper.readValue("{\"type\":\"acp\",\"name\":\"n\",\"id\":\"i\"}", McpServer.class);
        assertInstanceOf(McpServer.Unknown.class, server);
    }

    @Test
    void aKnownTagWithAShapeWeCannotBindFallsBackToUnknown() throws Exception {
        SessionUpdate update = mapper.readValue("{\"sessionUpdate\":\"plan\",\"entries\":\"not a list\"}", SessionUpdate.class);
        assertInstanceOf(SessionUpdate.Unknown.class, update);
    }

    @Test
    void unknownFieldsAreIgnoredAndAbsentOnesStayAbsent() throws Exception {
        InitializeResponse r = mapper.readValue("""
                {"protocolVersion":1,"brandNewField":{"a":1},"agentCapabilities":{"loadSession":true,"auth":{"logout":{}},
                 "_meta":{"vendor":"x"}}}""", InitializeResponse.class);
        assertTrue(r.agentCapabilities().loadSession());
        assertFalse(r.agentCapabilities().supportsResume());
        assertNull(r.agentInfo());
        assertEquals(mapper.readTree("{\"protocolVersion\":1,\"agentCapabilities\":{\"loadSession\":true}}"),
                mapper.valueToTree(r));

        InitializeResponse resumable = mapper.readValue(
                "{\"protocolVersion\":1,\"agentCapabilities\":{\"sessionCapabilities\":{\"resume\":{}}}}", InitializeResponse.class);
        assertTrue(resumable.agentCapabilities().supportsResume());
    }

    @Test
    void aDiffForANewFileHasNoOldText() throws Exception {
        // As the mock agent sends it: "oldText": null.
        ToolCallContent c = mapper.readValue("{\"type\":\"diff\",\"path\":\"/p/x\",\"oldText\":null,\"newText\":\"x\"}",
                ToolCallContent.class);
        ToolCallContent.Diff diff = assertInstanceOf(ToolCallContent.Diff.class, c);
        assertNull(diff.oldText());
        assertEquals("x", diff.newText());
    }

    @Test
    void emptyResultsSerialiseAsEmptyObjects() throws Exception {
        assertEquals("{}", mapper.writeValueAsString(new WriteTextFileResponse(null)));
        assertEquals("{}", mapper.writeValueAsString(new SetSessionModeResponse(null)));
        assertEquals("{\"outcome\":\"cancelled\"}", mapper.writeValueAsString(new RequestPermissionOutcome.Cancelled()));
        assertEquals("{\"type\":\"text\",\"text\":\"hi\"}", mapper.writeValueAsString(ContentBlock.text("hi")));
    }

    @Test
    void methodNamesAreUniqueAndMatchTheSchema() throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (var field : AcpMethods.class.getFields()) {
            Object v = field.get(null);
            if (v instanceof AcpMethod<?, ?> m) {
                names.add(m.name());
            } else if (v instanceof AcpNotificationMethod<?> m) {
                names.add(m.name());
            }
        }
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), names.toString());
        assertEquals(23, names.size(), names.toString());
        assertTrue(names.containsAll(List.of("initialize", "authenticate", "session/new", "session/load", "session/resume",
                "session/list",
                "session/prompt", "session/cancel", "session/set_mode", "session/set_config_option", "session/set_model",
                "session/update", "session/request_permission", "fs/read_text_file", "fs/write_text_file",
                "terminal/create", "terminal/output", "terminal/wait_for_exit", "terminal/kill", "terminal/release",
                "session/close", "elicitation/create", "elicitation/complete")));
    }
}
