package dev.acpx.api;

/** The questions the built-in policies ask a person, worded as the Node acpx words them (SPEC-P2 §9). */
final class PermissionQuestions {
    private static final int PREVIEW_LINES = 20;
    private static final int PREVIEW_CHARS = 2000;

    private PermissionQuestions() {}

    static String toolCall(PermissionRequest.ToolCall request) {
        return "Allow " + request.label() + "? (y/N) ";
    }

    static String escalation(PermissionRequest.ToolCall request) {
        return "\n[permission] Allow " + request.label() + " [" + request.effectiveKind() + "]? (y/N) ";
    }

    static String write(PermissionRequest.FileWrite request) {
        return "\n[permission] Allow write to " + request.path() + "?\n" + preview(request.content())
                + "\nAllow write? (y/N) ";
    }

    static String terminal(PermissionRequest.Terminal request) {
        return "\n[permission] Allow terminal command \"" + request.commandLine() + "\"? (y/N) ";
    }

    /** The start of what would be written: enough to judge, never a screenful of a large file. */
    static String preview(String content) {
        if (content == null || content.isEmpty()) {
            return "(empty file)";
        }
        String[] lines = content.split("\n", -1);
        StringBuilder out = new StringBuilder();
        int shown = Math.min(lines.length, PREVIEW_LINES);
        for (int i = 0; i < shown; i++) {
            out.append(i == 0 ? "" : "\n").append(lines[i]);
        }
        if (out.length() > PREVIEW_CHARS) {
            out.setLength(PREVIEW_CHARS);
            out.append("...");
        }
        if (lines.length > shown) {
            out.append("\n... (").append(lines.length - shown).append(" more lines)");
        }
        return out.toString();
    }

    static String jsonQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
