package dev.acpx.core.jsonrpc;

/** Cheap looks at a raw JSON-RPC line, without parsing it. */
public final class RawLines {
    private static final String UPDATE = "\"method\":\"session/update\"";
    private static final int HEAD = 160;

    private RawLines() {}

    /**
     * True when the line is a {@code session/update} notification as agents write them (the method
     * near the start). A line that says so later is taken for something else: it is then shown,
     * never lost.
     */
    public static boolean isUpdateNotification(String line) {
        int end = Math.min(line.length(), HEAD);
        return line.regionMatches(0, "{", 0, 1) && line.substring(0, end).contains(UPDATE)
                && !line.substring(0, end).contains("\"id\":");
    }
}
