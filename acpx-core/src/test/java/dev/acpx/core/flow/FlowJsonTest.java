package dev.acpx.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Node acpx's extractJsonObject, paths and switch keys. */
class FlowJsonTest {
    private final FlowJson json = new FlowJson(new ObjectMapper());

    @Test
    void extractsDirectFencedAndEmbeddedJson() {
        assertEquals(Map.of("route", "bug"), json.extract("  {\"route\":\"bug\"}  "));
        assertEquals(List.of(1, 2), json.extract("[1,2]"));
        assertEquals(Map.of("a", 1), json.extract("Here you go:\n```json\n{\"a\": 1}\n```\nthanks"));
        assertEquals(Map.of("a", "x}"), json.extract("```\n{\"a\": \"x}\"}\n```"));
        // the first balanced object that parses: the shape sketch before it is not JSON
        assertEquals(Map.of("route", "retry", "reason", "r"),
                json.extract("{ \"route\": \"a\" | \"b\" } then {\"route\": \"retry\", \"reason\": \"r\"} and {\"x\":1}"));
    }

    @Test
    void failsWithTheNodeAcpxWords() {
        assertEquals("Expected JSON output, got empty text",
                assertThrows(IllegalStateException.class, () -> json.extract("  ")).getMessage());
        assertEquals("Could not parse JSON from assistant output:\nno json {here",
                assertThrows(IllegalStateException.class, () -> json.extract("no json {here")).getMessage());
    }

    @Test
    void pathsAndScalarKeys() {
        Object doc = Map.of("a", Map.of("b", List.of("x", "y")), "n", 1.0);
        assertEquals("y", FlowJson.at(doc, FlowJson.segments("a.b.1")));
        assertSame(FlowJson.MISSING, FlowJson.at(doc, FlowJson.segments("a.c")));
        assertSame(FlowJson.MISSING, FlowJson.at(doc, FlowJson.segments("a.b.7")));
        assertEquals("1", FlowJson.scalarText(1.0));
        assertEquals("1.5", FlowJson.scalarText(1.5));
        assertEquals("2", FlowJson.scalarText(2L));
        assertEquals("true", FlowJson.scalarText(true));
        assertEquals(null, FlowJson.scalarText(Map.of()));
        assertEquals(null, FlowJson.scalarText(null));
    }
}
