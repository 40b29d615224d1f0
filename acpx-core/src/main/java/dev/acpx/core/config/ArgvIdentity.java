package dev.acpx.core.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders an argv as the one-line identity the Node acpx stores as {@code agent_command}:
 * safe tokens verbatim, anything else as a JSON string literal (JavaScript JSON.stringify rules).
 * Records must match byte for byte, so this follows Node's rules exactly.
 */
public final class ArgvIdentity {
    private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9_@%+=:,./^~-]+$");

    private ArgvIdentity() {
    }

    /** The identity string of {@code argv}. */
    public static String render(List<String> argv) {
        StringBuilder out = new StringBuilder();
        for (String arg : argv) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(SAFE.matcher(arg).matches() ? arg : quote(arg));
        }
        return out.toString();
    }

    /** A JSON string literal exactly as JavaScript's JSON.stringify writes it. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // JSON.stringify escapes control characters and lone surrogates as \\uXXXX (lower-case hex).
                    boolean loneSurrogate = Character.isSurrogate(c) && !pairedSurrogate(value, i);
                    if (c < 0x20 || loneSurrogate) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
