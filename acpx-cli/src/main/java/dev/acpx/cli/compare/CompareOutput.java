package dev.acpx.cli.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The three renderings of compare's rows, as the Node acpx 0.19.1 prints them (SPEC-P2 §4). */
public final class CompareOutput {
    private static final List<String> HEADERS = List.of("agent", "status", "wall_ms", "input", "output", "total",
            "permissions", "stop_reason", "final_message", "error");

    private CompareOutput() {}

    /** One line: the JSON array of rows, keys in the Node acpx's order. */
    public static String json(List<CompareRow> rows, ObjectMapper mapper) {
        ArrayNode array = mapper.createArrayNode();
        for (CompareRow r : rows) {
            ObjectNode o = array.addObject();
            o.put("agent", r.agent()).put("status", r.status()).put("stop_reason", r.stopReason())
                    .put("wall_ms", r.wallMs()).put("input_tokens", r.inputTokens())
                    .put("output_tokens", r.outputTokens()).put("total_tokens", r.totalTokens())
                    .put("final_message", r.finalMessage()).put("error", r.error())
                    .put("permission_requests", r.permissionRequests())
                    .put("permission_denied", r.permissionDenied());
            if (r.meta() != null) {
                o.set("_meta", r.meta());
            }
        }
        return array.toString();
    }

    /** {@code <agent>\t<status>} per row. */
    public static String quiet(List<CompareRow> rows) {
        StringBuilder out = new StringBuilder();
        rows.forEach(r -> out.append(r.agent()).append('\t').append(r.status()).append('\n'));
        return out.toString();
    }

    /** The aligned table: header, dashes, one line per row; empty cells {@code -}; trailing spaces trimmed. */
    public static String table(List<CompareRow> rows) {
        List<List<String>> body = new ArrayList<>();
        for (CompareRow r : rows) {
            body.add(List.of(cell(r.agent()), cell(r.status()), String.valueOf(r.wallMs()), cell(r.inputTokens()),
                    cell(r.outputTokens()), cell(r.totalTokens()), r.permissionDenied() + "/" + r.permissionRequests(),
                    cell(r.stopReason()), cell(r.finalMessage()), cell(r.error())));
        }
        int[] widths = new int[HEADERS.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = HEADERS.get(i).length();
            for (List<String> cells : body) {
                widths[i] = Math.max(widths[i], cells.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(line(HEADERS, widths)).append('\n');
        List<String> dashes = new ArrayList<>();
        for (int w : widths) {
            dashes.add("-".repeat(w));
        }
        out.append(String.join("  ", dashes)).append('\n');
        body.forEach(cells -> out.append(line(cells, widths)).append('\n'));
        return out.toString();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append("  ");
            }
            b.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
        }
        return b.toString().stripTrailing();
    }

    private static String cell(Object value) {
        if (value == null || value.toString().isEmpty()) {
            return "-";
        }
        // Agent text goes to a terminal: control characters are shown as ?, never obeyed.
        String text = CompareRunner.collapse(value.toString());
        StringBuilder safe = new StringBuilder(text.length());
        text.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return safe.isEmpty() ? "-" : safe.toString();
    }
}
