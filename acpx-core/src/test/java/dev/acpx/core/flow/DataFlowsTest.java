package dev.acpx.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.flow.Flow;
import dev.acpx.api.flow.FlowContext;
import dev.acpx.api.flow.FlowEdge;
import dev.acpx.api.flow.FlowNode;
import dev.acpx.api.flow.ShellResult;
import dev.acpx.api.flow.ShellSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Data-file flows: the schema, its errors (in the Node acpx's wording) and the templates. */
class DataFlowsTest {
    private final FlowJson json = new FlowJson(new ObjectMapper());
    private final DataFlows flows = new DataFlows(json);

    /** A node context over fixed values (the engine's is tested in FlowEngineTest). */
    record Ctx(Object input, Map<String, Object> outputs, Map<String, Object> results, Map<String, Object> state)
            implements FlowContext {
        public String runId() { return "run-1"; }
        public String flowName() { return "f"; }
        public String nodeId() { return "n"; }
        public String attemptId() { return "n#1"; }
        public ShellResult runShell(ShellSpec spec) { throw new UnsupportedOperationException(); }
        public Object extractJson(String text) { return new FlowJson(new ObjectMapper()).extract(text); }
        public boolean cancelled() { return false; }
    }

    @Test
    void templatesKeepTypesForWholeValuesAndTextInside() {
        Templates t = new Templates(json);
        Map<String, Object> state = new LinkedHashMap<>(Map.of("n", 2));
        Ctx ctx = new Ctx(Map.of("who", "bob", "tags", List.of("a", "b")),
                Map.of("ask", Map.of("route", "bug")), Map.of("ask", Map.of("outcome", "ok")), state);
        assertEquals(2, t.render("{{state.n}}", ctx));
        assertEquals(List.of("a", "b"), t.render("{{ input.tags }}", ctx));
        assertEquals("hi bob, tags [\"a\",\"b\"], n=2, route bug, ok", t.render(
                "hi {{input.who}}, tags {{input.tags}}, n={{state.n}}, route {{outputs.ask.route}}, {{results.ask.outcome}}", ctx));
        assertEquals("\"bob\"", t.render("{{input.who | json}}", ctx));
        assertEquals("[]", t.render("[{{input.missing}}]", ctx));
        assertEquals(null, t.render("{{input.missing}}", ctx));
        assertEquals("run-1/n#1", t.render("{{run.id}}/{{node.attemptId}}", ctx));
        Map<String, Object> sw = Map.of("$switch", "{{state.n}}", "cases", Map.of("1", "one", "2", "two"), "default", "many");
        assertEquals("two", t.render(sw, ctx));
        state.put("n", 7);
        assertEquals("many", t.render(sw, ctx));
        assertEquals(Map.of("k", List.of(7, "bob")), t.render(Map.of("k", List.of("{{state.n}}", "{{input.who}}")), ctx));
    }

    @Test
    void buildsTheGraphWithEveryNodeType() {
        Flow flow = flows.parse("""
                {"name":"all","title":"for {{input.who}}","permissions":{"requiredMode":"approve-reads"},
                 "nodes":{
                   "c":{"nodeType":"compute","set":{"x":1},"timeoutMs":500},
                   "a":{"nodeType":"acp","prompt":["line {{state.x}}","two"],"parse":"json","profile":"mock",
                        "session":{"handle":"h2"}},
                   "d":{"nodeType":"acp","decision":{"question":"q?","choices":["y","n"]},"session":{"isolated":true}},
                   "s":{"nodeType":"action","exec":{"command":"echo","args":["{{input.who}}"]},"parse":"text"},
                   "p":{"nodeType":"checkpoint","summary":"look"}},
                 "edges":[{"from":"c","to":"a"},{"from":"a","to":"d"},
                          {"from":"d","switch":{"on":"$.route","cases":{"y":"s","n":"p"}}}]}
                """, "all.json");
        assertEquals("c", flow.startAt());
        assertEquals("for bob", flow.title().apply(Map.of("who", "bob")));
        assertInstanceOf(FlowNode.Compute.class, flow.nodes().get("c"));
        assertEquals(500, flow.nodes().get("c").timeout().toMillis());
        FlowNode.Acp a = assertInstanceOf(FlowNode.Acp.class, flow.nodes().get("a"));
        assertEquals("h2", a.handle());
        assertEquals("mock", a.profile());
        Ctx ctx = new Ctx(Map.of(), Map.of(), Map.of(), Map.of("x", 3));
        assertEquals("line 3\ntwo", a.prompt().apply(ctx));
        assertEquals(Map.of("k", 1), a.parse().apply("sure: {\"k\":1}", ctx));
        FlowNode.Acp d = assertInstanceOf(FlowNode.Acp.class, flow.nodes().get("d"));
        assertTrue(d.isolated());
        assertTrue(d.prompt().apply(ctx).startsWith("q?\n\nReturn exactly one JSON object with this shape:\n{\n  \"route\": \"y\" | \"n\","),
                d.prompt().apply(ctx));
        assertEquals("Decision returned invalid route=\"maybe\"; expected one of \"y\", \"n\"",
                assertThrows(IllegalStateException.class, () -> d.parse().apply("{\"route\":\"maybe\"}", ctx)).getMessage());
        FlowNode.Action s = assertInstanceOf(FlowNode.Action.class, flow.nodes().get("s"));
        assertEquals(List.of("bob"), s.exec().apply(new Ctx(Map.of("who", "bob"), Map.of(), Map.of(), Map.of())).args());
        assertInstanceOf(FlowEdge.Switch.class, flow.edgeFrom("d"));
        assertEquals(null, flow.edgeFrom("p"));
    }

    @Test
    void saysWhatIsWrongAndWhere() {
        assertEquals("Invalid flow definition: name: is required", bad("{\"nodes\":{}}"));
        assertEquals("Invalid flow definition: nodes: must be a non-empty object of node id -> node",
                bad("{\"name\":\"x\",\"nodes\":{}}"));
        assertEquals("Invalid flow node \"a\": nodeType: must be acp, compute, action or checkpoint, got \"shell\"",
                bad("{\"name\":\"x\",\"nodes\":{\"a\":{\"nodeType\":\"shell\"}}}"));
        assertEquals("Invalid flow node \"a\": prompt: prompt must be a string (a template) or an array of lines",
                bad("{\"name\":\"x\",\"nodes\":{\"a\":{\"nodeType\":\"acp\"}}}"));
        assertTrue(bad("{\"name\":\"x\",\"nodes\":{\"a\":{\"nodeType\":\"acp\",\"prompt\":\"{{inputs.x}}\"}}}")
                .startsWith("Invalid flow node \"a\": prompt: unknown template root \"inputs\""));
        assertEquals("Invalid flow definition: edges.0: edge must define exactly one of to or switch",
                bad("{\"name\":\"x\",\"nodes\":{\"a\":{\"nodeType\":\"compute\"}},\"edges\":[{\"from\":\"a\"}]}"));
        assertEquals("Flow start node is missing: zz (in t.json)",
                bad("{\"name\":\"x\",\"startAt\":\"zz\",\"nodes\":{\"a\":{\"nodeType\":\"compute\"}}}"));
        assertEquals("Flow node must not declare multiple outgoing edges: a (in t.json)",
                bad("{\"name\":\"x\",\"nodes\":{\"a\":{\"nodeType\":\"compute\"}},"
                        + "\"edges\":[{\"from\":\"a\",\"to\":\"a\"},{\"from\":\"a\",\"to\":\"a\"}]}"));
        assertEquals("Flow switch references unknown to-node: b (in t.json)",
                bad("{\"name\":\"x\",\"nodes\":{\"a\":{\"nodeType\":\"compute\"}},"
                        + "\"edges\":[{\"from\":\"a\",\"switch\":{\"on\":\"$.r\",\"cases\":{\"x\":\"b\"}}}]}"));
        assertEquals("Flow edge references unknown to-node: b (in t.json)",
                bad("{\"name\":\"x\",\"nodes\":{\"a\":{\"nodeType\":\"compute\"}},\"edges\":[{\"from\":\"a\",\"to\":\"b\"}]}"));
        assertTrue(bad("{\"name\":").startsWith("Flow file t.json is not valid JSON: "));
    }

    private String bad(String source) {
        return assertThrows(IllegalArgumentException.class, () -> flows.parse(source, "t.json")).getMessage();
    }
}
