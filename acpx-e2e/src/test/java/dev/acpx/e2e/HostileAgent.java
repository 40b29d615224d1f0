package dev.acpx.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A deliberately bad ACP agent for reliability tests. It answers {@code initialize} and
 * {@code session/new} properly, then misbehaves on {@code session/prompt} as its mode says.
 *
 * <p>Usage: {@code java -cp <test-classes> dev.acpx.e2e.HostileAgent <mode> [bytes]}.
 * Modes: huge-line, deep-json, bad-utf8, unknown-id, duplicate-id, flood, fs-escape,
 * fork-ignore-term, close-stdout, never-exit, huge-session-id (a session id of that many bytes),
 * stderr-flood (that many bytes of stderr lines during the turn, then an answer), daemonize, error-escapes,
 * junk-stdout, stall-initialize (reads every message but never answers {@code initialize}, like an agent
 * waiting for a login). Whatever the mode, the process halts after
 * {@code HOSTILE_AGENT_LIFETIME_SECONDS} (default 300) so that a broken test leaks nothing for long.
 */
public final class HostileAgent {

    /** The ways to misbehave; the wire name is the lower-case, dashed constant name. */
    enum Mode {
        HUGE_LINE, DEEP_JSON, BAD_UTF8, UNKNOWN_ID, DUPLICATE_ID, FLOOD, FS_ESCAPE, FORK_IGNORE_TERM, CLOSE_STDOUT,
        NEVER_EXIT, HUGE_SESSION_ID, STDERR_FLOOD, DAEMONIZE, ERROR_ESCAPES, JUNK_STDOUT, STALL_INITIALIZE;

        /** The modes that take a size argument. */
        boolean sized() {
            return this == HUGE_LINE || this == HUGE_SESSION_ID || this == STDERR_FLOOD;
        }

        String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Mode of(String wire) {
            return Arrays.stream(values()).filter(m -> m.wire().equals(wire)).findFirst().orElse(null);
        }
    }

    static final long HUGE_LINE_BYTES = 100L * 1024 * 1024;
    static final int DEEP_JSON_DEPTH = 100_000;
    static final int FLOOD_CHUNKS = 200_000;
    static final long STDERR_FLOOD_BYTES = 100L * 1024 * 1024;
    /** Each stderr-flood line: this text, its number, a space, {@link #STDERR_PAD}, a newline. */
    static final String STDERR_LINE = "hostile stderr line ";
    static final String STDERR_PAD = ".".repeat(1000);
    static final String SESSION_ID = "hostile-session-1";
    /** What huge-session-id sends as its id: this prefix padded with 'x' to the size asked for. */
    static final String HUGE_ID_PREFIX = "hostile-huge-id-";
    static final String FORK_SCRIPT = "trap \"\" TERM; sleep 1000 & sleep 1000";
    static final String LINK_NAME = "hostile-link";
    /**
     * Two daemons that leave the agent's process group and parent: a setsid'ed sleep whose shell exits,
     * and the classic double fork (a subshell that starts a setsid'ed daemon and exits). Prints both pids.
     */
    static final String DAEMON_SCRIPT = "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo $!; "
            + "(setsid sh -c 'exec sleep 601' </dev/null >/dev/null 2>&1 & echo $!)";
    /** An error message with terminal escapes, a bell and line breaks, as a hostile agent might send. */
    static final String ESCAPED_ERROR = "boom \u001b[31mred\u001b[0m\nsecond line\r\n\u0007\u001b]0;title\u0007 end";
    /** Lines that are not JSON-RPC messages, written among the real ones. */
    static final List<String> JUNK_LINES = List.of("this is not json", "{broken", "[1,2,3]", "42",
            "{\"jsonrpc\":\"1.0\",\"method\":\"x\"}", "\u001b[2J cleared");
    /** Invalid UTF-8: a broken two-byte sequence, bytes never valid, an encoded surrogate, a 5-byte form. */
    static final byte[] BAD_UTF8 = {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80,
        (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80};

    private final Mode mode;
    private final long hugeLineBytes;
    private final HostileWire wire = new HostileWire();
    private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
    private volatile String cwd = Path.of("").toAbsolutePath().toString();

    private HostileAgent(Mode mode, long hugeLineBytes) {
        this.mode = mode;
        this.hugeLineBytes = hugeLineBytes;
    }

    public static void main(String[] args) throws Exception {
        Mode mode = args.length >= 1 ? Mode.of(args[0]) : null;
        if (mode == null || args.length > 2 || (args.length == 2 && !mode.sized())) {
            System.err.println("usage: HostileAgent <mode> [bytes]; modes: "
                    + Arrays.stream(Mode.values()).map(Mode::wire).toList());
            System.exit(2);
        }
        long huge = args.length == 2 ? Long.parseLong(args[1])
                : mode == Mode.STDERR_FLOOD ? STDERR_FLOOD_BYTES : HUGE_LINE_BYTES;
        haltAfterLifetime();
        if (mode == Mode.NEVER_EXIT) {
            ignoreSignal("TERM");
            ignoreSignal("INT");
        }
        new HostileAgent(mode, huge).run();
    }

    private static void haltAfterLifetime() {
        String env = System.getenv("HOSTILE_AGENT_LIFETIME_SECONDS");
        long seconds = env == null || env.isBlank() ? 300 : Long.parseLong(env.trim());
        HostileWire.haltAfter(seconds);
    }

    /**
     * Replaces the JVM's handler (which would run shutdown hooks and exit) with one that does
     * nothing. Through reflection, because sun.misc.Signal draws a compiler warning.
     */
    private static void ignoreSignal(String name) throws ReflectiveOperationException {
        Class<?> signal = Class.forName("sun.misc.Signal");
        Class<?> handler = Class.forName("sun.misc.SignalHandler");
        Object ignore = Proxy.newProxyInstance(HostileAgent.class.getClassLoader(), new Class<?>[] {handler},
                (proxy, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "ignore";
                    default -> null;
                });
        signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance(name),
                ignore);
    }

    private void log(String what) {
        System.err.println("hostile-agent[" + mode.wire() + "] pid " + ProcessHandle.current().pid() + ": " + what);
    }

    private void run() throws IOException, InterruptedException {
        log("started");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            handle(line);
        }
        log("stdin closed");
        if (mode == Mode.NEVER_EXIT || mode == Mode.CLOSE_STDOUT) {
            Thread.sleep(Long.MAX_VALUE);
        }
        System.exit(0);
    }

    private void handle(String line) throws IOException {
        String id = HostileWire.id(line);
        String method = HostileWire.method(line);
        if (method == null) {
            if (id != null && !wire.answer(id, line)) {
                log("response to an unknown id " + id);
            }
            return;
        }
        if (mode == Mode.STALL_INITIALIZE && stallsNow()) {
            log("ignoring " + method);
            return;
        }
        switch (method) {
            case "initialize" -> wire.result(id, "{\"protocolVersion\":1,\"agentCapabilities\":{\"loadSession\":false,"
                    + "\"promptCapabilities\":{\"image\":false,\"audio\":false,\"embeddedContext\":false}},"
                    + "\"agentInfo\":{\"name\":\"hostile-agent\",\"version\":\"1.0.0\"},\"authMethods\":[]}");
            case "session/new" -> {
                String requested = HostileWire.string(line, "cwd");
                if (requested != null) {
                    cwd = requested;
                }
                wire.result(id, "{\"sessionId\":" + HostileWire.quote(sessionId()) + "}");
            }
            case "session/prompt" -> Thread.ofPlatform().name("prompt").start(() -> prompt(id));
            case "session/cancel" -> cancelled.complete(null);
            default -> {
                if (id != null) {
                    wire.error(id, -32601, "hostile agent does not implement " + method);
                }
            }
        }
    }

    private void prompt(String id) {
        log("prompt " + id);
        try {
            switch (mode) {
                case HUGE_LINE -> hugeLine(id);
                case DEEP_JSON -> deepJson(id);
                case BAD_UTF8 -> badUtf8(id);
                case UNKNOWN_ID -> unknownId(id);
                case DUPLICATE_ID -> duplicateId(id);
                case FLOOD -> flood(id);
                case FS_ESCAPE -> fsEscape(id);
                case FORK_IGNORE_TERM -> forkIgnoreTerm(id);
                case CLOSE_STDOUT -> {
                    wire.chunk(SESSION_ID, "closing stdout now\n");
                    wire.closeStdout();
                    log("stdout closed");
                }
                case NEVER_EXIT -> {
                    wire.chunk(SESSION_ID, "never-exit: ignoring SIGTERM and stdin EOF\n");
                    endTurn(id);
                }
                case HUGE_SESSION_ID -> {
                    wire.chunk(sessionId(), "answer in a session with a huge id\n");
                    endTurn(id);
                }
                case STDERR_FLOOD -> stderrFlood(id);
                case DAEMONIZE -> daemonize(id);
                case ERROR_ESCAPES -> wire.error(id, -32603, ESCAPED_ERROR);
                case JUNK_STDOUT -> {
                    for (String junk : JUNK_LINES) {
                        wire.line(junk);
                    }
                    wire.chunk(SESSION_ID, "after the junk\n");
                    endTurn(id);
                }
            }
        } catch (IOException e) {
            log("cannot write: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String sessionId() {
        if (mode != Mode.HUGE_SESSION_ID) {
            return SESSION_ID;
        }
        return HUGE_ID_PREFIX + "x".repeat((int) Math.max(0, hugeLineBytes - HUGE_ID_PREFIX.length()));
    }

    /** Numbered stderr lines up to the size asked for, while the turn runs; the answer counts them. */
    private void stderrFlood(String id) throws IOException {
        wire.chunk(SESSION_ID, "stderr-flood: starting\n");
        java.io.PrintStream err = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err),
                false, StandardCharsets.UTF_8);
        long written = 0;
        long lines = 0;
        while (written < hugeLineBytes) {
            String line = STDERR_LINE + lines + " " + STDERR_PAD + "\n";
            err.print(line);
            written += line.length();
            lines++;
        }
        err.flush();
        wire.chunk(SESSION_ID, "stderr-flood: wrote " + lines + " lines\n");
        endTurn(id);
    }

    private void daemonize(String id) throws IOException, InterruptedException {
        Process sh = new ProcessBuilder("/bin/sh", "-c", DAEMON_SCRIPT).redirectErrorStream(true).start();
        String pids = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().replace('\n', ' ');
        sh.waitFor();
        wire.chunk(SESSION_ID, "daemonized: " + pids + "\n");
        endTurn(id);
    }

    /**
     * stall-initialize stalls always, or, with HOSTILE_STALL_FILE set, only once that file exists: a
     * test can then create the session (which connects once) before the agent starts stalling.
     */
    private static boolean stallsNow() {
        String file = System.getenv("HOSTILE_STALL_FILE");
        return file == null || java.nio.file.Files.exists(java.nio.file.Path.of(file));
    }

    private void endTurn(String id) throws IOException {
        wire.result(id, "{\"stopReason\":\"end_turn\"}");
    }

    private void hugeLine(String id) throws IOException, InterruptedException {
        wire.raw(("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + SESSION_ID
                + "\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\"")
                .getBytes(StandardCharsets.UTF_8));
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'x');
        for (long left = hugeLineBytes; left > 0; left -= block.length) {
            wire.raw(left >= block.length ? block : Arrays.copyOf(block, (int) left));
        }
        wire.flush();
        Thread.sleep(500); // the line stays unterminated for a while
        wire.raw("\"}}}}\n".getBytes(StandardCharsets.UTF_8));
        wire.chunk(SESSION_ID, "after the huge line\n");
        endTurn(id);
    }

    private void deepJson(String id) throws IOException {
        wire.line("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + SESSION_ID
                + "\",\"update\":" + "[".repeat(DEEP_JSON_DEPTH) + "]".repeat(DEEP_JSON_DEPTH) + "}}");
        wire.chunk(SESSION_ID, "after the deep json\n");
        endTurn(id);
    }

    private void badUtf8(String id) throws IOException {
        wire.raw(("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + SESSION_ID
                + "\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\"bad ")
                .getBytes(StandardCharsets.UTF_8));
        wire.raw(BAD_UTF8);
        wire.raw(" end\\n\"}}}}\n".getBytes(StandardCharsets.UTF_8));
        wire.chunk(SESSION_ID, "after the bad utf-8\n");
        endTurn(id);
    }

    private void unknownId(String id) throws IOException {
        wire.result("987654321", "{\"stopReason\":\"end_turn\"}");
        wire.result("\"no-such-id\"", "{\"stopReason\":\"refusal\"}");
        wire.error("424242", -32603, "an error for a request nobody sent");
        wire.chunk(SESSION_ID, "after the unknown ids\n");
        endTurn(id);
    }

    private void duplicateId(String id) throws IOException {
        wire.chunk(SESSION_ID, "duplicate-id: answering this prompt three times\n");
        endTurn(id);
        wire.result(id, "{\"stopReason\":\"refusal\"}");
        wire.error(id, -32603, "a third answer to the same request");
    }

    private void flood(String id) throws IOException {
        // Unflushed lines: the buffer fills and blocks, so the client sets the pace.
        String dot = "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + SESSION_ID
                + "\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\".\"}}}}\n";
        byte[] bytes = dot.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < FLOOD_CHUNKS; i++) {
            wire.raw(bytes);
        }
        wire.flush();
        endTurn(id);
    }

    /** The paths fs-escape asks for, in order; the last one is a symlink inside cwd that points out. */
    static List<String> escapePaths(String cwd) {
        return List.of("../x", cwd + "/../x", "/etc/passwd", "/proc/self/environ", "/dev/zero", cwd + "/" + LINK_NAME);
    }

    private void fsEscape(String id) throws IOException, InterruptedException {
        Path link = Path.of(cwd, LINK_NAME);
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of("/etc/passwd"));
        } catch (IOException e) {
            wire.chunk(SESSION_ID, "fs-escape: cannot create " + link + ": " + e + "\n");
        }
        for (String path : escapePaths(cwd)) {
            CompletableFuture<String> answer = wire.request("fs/read_text_file",
                    "{\"sessionId\":\"" + SESSION_ID + "\",\"path\":" + HostileWire.quote(path) + "}");
            wire.chunk(SESSION_ID, "fs-escape " + path + " -> " + describe(answer) + "\n");
        }
        endTurn(id);
    }

    private static String describe(CompletableFuture<String> answer) throws InterruptedException {
        String response;
        try {
            response = answer.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "no answer within 5s";
        } catch (java.util.concurrent.ExecutionException e) {
            return "failed: " + e.getCause();
        }
        if (response.contains("\"error\"")) {
            String message = HostileWire.string(response, "message");
            return "error: " + (message == null ? "?" : message);
        }
        String content = HostileWire.string(response, "content");
        int length = content == null ? -1 : content.length();
        String start = content == null ? "" : content.substring(0, Math.min(40, content.length()));
        return "ok: " + length + " chars: " + start;
    }

    private void forkIgnoreTerm(String id) throws IOException, InterruptedException {
        CompletableFuture<String> created = wire.request("terminal/create", "{\"sessionId\":\"" + SESSION_ID
                + "\",\"command\":\"/bin/sh\",\"args\":[\"-c\"," + HostileWire.quote(FORK_SCRIPT) + "],\"cwd\":"
                + HostileWire.quote(cwd) + "}");
        String response;
        try {
            response = created.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            wire.chunk(SESSION_ID, "fork-ignore-term: terminal/create got no answer\n");
            endTurn(id);
            return;
        }
        String terminalId = HostileWire.string(response, "terminalId");
        if (terminalId == null) {
            wire.chunk(SESSION_ID, "fork-ignore-term: terminal/create failed: " + response + "\n");
            endTurn(id);
            return;
        }
        wire.chunk(SESSION_ID, "fork-ignore-term: terminal " + terminalId + " runs " + FORK_SCRIPT + "\n");
        // Waits for a process that never exits and never releases it: only a cancel ends the turn.
        CompletableFuture<String> exited = wire.request("terminal/wait_for_exit",
                "{\"sessionId\":\"" + SESSION_ID + "\",\"terminalId\":" + HostileWire.quote(terminalId) + "}");
        CompletableFuture.anyOf(exited, cancelled).join();
        if (cancelled.isDone()) {
            wire.result(id, "{\"stopReason\":\"cancelled\"}");
        } else {
            wire.chunk(SESSION_ID, "fork-ignore-term: the terminal exited: " + exited.join() + "\n");
            endTurn(id);
        }
    }
}
