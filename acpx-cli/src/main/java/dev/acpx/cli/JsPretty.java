package dev.acpx.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** JSON as JavaScript's {@code JSON.stringify(value, null, 2)} lays it out ({@code "key": value}, {@code {}}, {@code []}). */
final class JsPretty {
    private JsPretty() {}

    static String print(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, "");
        return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode node, String indent) {
        String inner = indent + "  ";
        if (node.isObject() && !node.isEmpty()) {
            sb.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(inner).append(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey())).append(": ");
                write(sb, e.getValue(), inner);
                sb.append(it.hasNext() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (node.isArray() && !node.isEmpty()) {
            sb.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                sb.append(inner);
                write(sb, node.get(i), inner);
                sb.append(i < node.size() - 1 ? ",\n" : "\n");
            }
            sb.append(indent).append(']');
        } else {
            sb.append(node.toString());
        }
    }
}
