package dev.acpx.cli.output;

/**
 * Agent-supplied text made safe for our own diagnostic lines: an agent's error message, stderr
 * line or tool title must not move the cursor, recolour or retitle the terminal, ring the bell,
 * or forge a line of ours. Control characters are shown as escapes ({@code \n}, {@code \u001b}),
 * so the text stays readable and the bytes it carried stay visible.
 */
public final class Sanitize {
    private Sanitize() {}

    /** One line: every control character, line breaks included, escaped. */
    public static String line(String text) {
        return text == null ? null : escape(text, false);
    }

    /** Several lines: line breaks kept (CRLF as LF), every other control character escaped. */
    public static String lines(String text) {
        return text == null ? null : escape(text.replace("\r\n", "\n"), true);
    }

    private static String escape(String text, boolean keepNewlines) {
        int first = firstUnsafe(text, keepNewlines);
        if (first < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c, keepNewlines)) {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    private static int firstUnsafe(String text, boolean keepNewlines) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i), keepNewlines)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * C0 and C1 controls and DEL; the Unicode line and paragraph separators; and the bidirectional
     * overrides and isolates, which can make a line read differently from what it holds.
     */
    static boolean unsafe(char c, boolean keepNewlines) {
        if (c == '\n') {
            return !keepNewlines;
        }
        if (c == '\t') {
            return !keepNewlines;
        }
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
