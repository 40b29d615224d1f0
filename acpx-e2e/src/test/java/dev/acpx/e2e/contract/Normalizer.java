package dev.acpx.e2e.contract;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What may differ between two runs of the same step without being a difference of contract:
 * the home folder, ids, timestamps, pids, uptimes, byte counts and the client's own version. Each becomes a placeholder.
 */
final class Normalizer {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final Pattern PID_LINE = Pattern.compile("(?m)^pid: \\d+$");
    private static final Pattern PID_JSON = Pattern.compile("\"pid\":\\d+");
    private static final Pattern UPTIME = Pattern.compile("\\b\\d{2}:\\d{2}:\\d{2}\\b");
    private static final Pattern FREED = Pattern.compile("freed \\d+(\\.\\d)? [KMG]?B");
    private static final Pattern BYTES_FREED = Pattern.compile("\"bytesFreed\":\\d+");
    /**
     * The journal's message count in a record: each tool's owner writes it when it settles its
     * journal (the Node acpx's listing can still show 0 after a turn); the journal tests compare it.
     */
    /**
     * Why a closed session's agent went: after `sessions close` the Node acpx records
     * {@code connection_close}, ours {@code owner_terminated} (the owner it terminated ended the agent);
     * a deliberate difference listed in docs/COMPATIBILITY.md.
     */
    private static final Pattern DISCONNECT_REASON = Pattern.compile("\"lastAgentDisconnectReason\":\"(connection_close|owner_terminated)\"");
    private static final Pattern LAST_SEQ = Pattern.compile("\"(lastSeq|last_seq)\":\\d+");
    /** The mock agent numbers tool calls with its pid: {@code plan-<pid>-1}. */
    private static final Pattern TOOL_CALL_ID = Pattern.compile("\"toolCallId\":\"([a-z]+)-\\d+-(\\d+)\"");
    /** Each tool names its own version to the agent in {@code initialize}. */
    private static final Pattern CLIENT_VERSION = Pattern.compile("(\"clientInfo\":\\{[^{}]*\"version\":\")[^\"]*\"");

    private Normalizer() {}

    static String apply(String text, Path home) {
        String s = text.replace(home.toString(), "<HOME>");
        s = UUID.matcher(s).replaceAll("<ID>");
        s = ISO.matcher(s).replaceAll("<TS>");
        s = PID_LINE.matcher(s).replaceAll("pid: <PID>");
        s = PID_JSON.matcher(s).replaceAll("\"pid\":-1");
        s = UPTIME.matcher(s).replaceAll("<UPTIME>");
        s = FREED.matcher(s).replaceAll("freed <BYTES>");
        s = CLIENT_VERSION.matcher(s).replaceAll("$1<VERSION>\"");
        s = TOOL_CALL_ID.matcher(s).replaceAll("\"toolCallId\":\"$1-<PID>-$2\"");
        s = LAST_SEQ.matcher(s).replaceAll("\"$1\":-1");
        s = DISCONNECT_REASON.matcher(s).replaceAll("\"lastAgentDisconnectReason\":\"<REASON>\"");
        return BYTES_FREED.matcher(s).replaceAll("\"bytesFreed\":-1");
    }
}
