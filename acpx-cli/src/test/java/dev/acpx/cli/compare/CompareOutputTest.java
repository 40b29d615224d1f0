package dev.acpx.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** compare's renderings and exit rule against the Node acpx 0.19.1's (SPEC-P2 §4 sample and source). */
class CompareOutputTest {

    @Test
    void theTableIsTheNodeOne() {
        CompareRow mock = new CompareRow("mock", "ok", "end_turn", 4293, null, null, null, "hello there", null, 0, 0);
        assertEquals("""
                agent  status  wall_ms  input  output  total  permissions  stop_reason  final_message  error
                -----  ------  -------  -----  ------  -----  -----------  -----------  -------------  -----
                mock   ok      4293     -      -       -      0/0          end_turn     hello there    -
                """, CompareOutput.table(List.of(mock)));
    }

    @Test
    void cellsAreCollapsedAndControlCharactersShownNotObeyed() {
        CompareRow row = new CompareRow("a", "error", null, 1, 1L, 2L, 3L, "", "bad\n\tthing \u001b[2J", 1, 2);
        String line = CompareOutput.table(List.of(row)).lines().toList().get(2);
        assertEquals("a      error   1        1      2       3      2/1          -            -              bad thing ?[2J",
                line);
    }

    @Test
    void jsonAndQuiet() throws Exception {
        List<CompareRow> rows = List.of(
                new CompareRow("x", "ok", "end_turn", 5, 10L, null, null, "hi", null, 1, 0),
                new CompareRow("y", "cancelled", null, 7, null, null, null, "", "Timed out after 1000ms", 0, 0));
        assertEquals("[{\"agent\":\"x\",\"status\":\"ok\",\"stop_reason\":\"end_turn\",\"wall_ms\":5,\"input_tokens\":10,"
                + "\"output_tokens\":null,\"total_tokens\":null,\"final_message\":\"hi\",\"error\":null,"
                + "\"permission_requests\":1,\"permission_denied\":0},{\"agent\":\"y\",\"status\":\"cancelled\","
                + "\"stop_reason\":null,\"wall_ms\":7,\"input_tokens\":null,\"output_tokens\":null,\"total_tokens\":null,"
                + "\"final_message\":\"\",\"error\":\"Timed out after 1000ms\",\"permission_requests\":0,"
                + "\"permission_denied\":0}]", CompareOutput.json(rows, new ObjectMapper()));
        assertEquals("x\tok\ny\tcancelled\n", CompareOutput.quiet(rows));
    }

    @Test
    void exitCodeIsTheWorstRow() {
        CompareRow ok = new CompareRow("a", "ok", "end_turn", 1, null, null, null, "", null, 0, 0);
        assertEquals(0, CompareRow.exitCode(List.of(ok)));
        assertEquals(3, CompareRow.exitCode(List.of(ok, ok.interrupted())));
        CompareRow denied = new CompareRow("b", "permission_denied", "end_turn", 1, null, null, null, "", null, 1, 1);
        assertEquals(5, CompareRow.exitCode(List.of(ok.interrupted(), denied)));
        CompareRow error = new CompareRow("c", "error", null, 1, null, null, null, "", "x", 0, 0);
        assertEquals(1, CompareRow.exitCode(List.of(denied, error, ok)));
    }

    @Test
    void previewsAreCutAt200Characters() {
        String longText = "word ".repeat(100);
        String preview = CompareRunner.preview(longText);
        assertEquals(200, preview.length());
        assertEquals("...", preview.substring(197));
        assertEquals("a b", CompareRunner.preview("  a \n\n b  "));
    }
}
