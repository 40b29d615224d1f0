package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each hostile mode, run as the real process later tests start, emits what it claims. */
@Timeout(60)
class HostileAgentTest {

    @TempDir
    Path cwd;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Process> processes = new ArrayList<>();
    private Process process;
    private InputStream out;
    private OutputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;

    /** One line off the wire: its full length, and its first bytes (huge lines are not kept). */
    private record Line(long length, byte[] head) {
        String text() {
            return new String(head, StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void killAll() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private Process start(String... args) throws Exception {
        Path classes = Path.of(HostileAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes.toString(), HostileAgent.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
                .redirectError(cwd.resolve("agent-stderr.txt").toFile());
        pb.environment().put("HOSTILE_AGENT_LIFETIME_SECONDS", "60");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    /** Starts a mode, does the handshake and sends the prompt (request id 3). */
    private void prompted(String mode) throws Exception {
        process = start(mode);
        out = process.getInputStream();
        in = process.getOutputStream();
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":1}}");
        JsonNode init = json(next());
        assertEquals(1, init.at("/result/protocolVersion").asInt());
        assertEquals("hostile-agent", init.at("/result/agentInfo/name").asText());
        send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"session/new\",\"params\":{\"cwd\":"
                + mapper.writeValueAsString(cwd.toString()) + ",\"mcpServers\":[]}}");
        assertEquals(HostileAgent.SESSION_ID, json(next()).at("/result/sessionId").asText());
        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"session/prompt\",\"params\":{\"sessionId\":\""
                + HostileAgent.SESSION_ID + "\",\"prompt\":[{\"type\":\"text\",\"text\":\"go\"}]}}");
    }

    private void send(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The next line, or null at end of file; keeps at most 1 MiB of it. Reads in bulk: lines reach 100 MB. */
    private Line next() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        long length = 0;
        while (true) {
            if (pos == limit) {
                limit = out.read(buffer);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return length == 0 ? null : new Line(length, head.toByteArray());
                }
            }
            int end = pos;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            int keep = (int) Math.max(0, Math.min(end - pos, (1 << 20) - length));
            head.write(buffer, pos, keep);
            length += end - pos;
            boolean found = end < limit;
            pos = found ? end + 1 : end;
            if (found) {
                return new Line(length, head.toByteArray());
            }
        }
    }

    private JsonNode json(Line line) throws IOException {
        return mapper.readTree(line.text());
    }

    private String chunkText(Line line) throws IOException {
        JsonNode n = json(line);
        assertEquals("session/update", n.path("method").asText(), line.text());
        assertEquals("agent_message_chunk", n.at("/params/update/sessionUpdate").asText());
        return n.at("/params/update/content/text").asText();
    }

    private void assertEndTurn(Line line) throws IOException {
        JsonNode n = json(line);
        assertEquals(3, n.path("id").asInt(), line.text());
        assertEquals("end_turn", n.at("/result/stopReason").asText(), line.text());
    }

    @Test
    void hugeLineIsOneHundredMegabytesThenValidTraffic() throws Exception {
        prompted("huge-line");
        Line huge = next();
        assertTrue(huge.length() > HostileAgent.HUGE_LINE_BYTES, "length " + huge.length());
        assertTrue(huge.text().startsWith("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\""), huge.text().substring(0, 80));
        assertEquals("after the huge line\n", chunkText(next()));
        assertEndTurn(next());
    }

    @Test
    void deepJsonNestsOneHundredThousandArrays() throws Exception {
        prompted("deep-json");
        Line deep = next();
        String text = deep.text();
        int open = text.indexOf('[');
        int run = 0;
        while (text.charAt(open + run) == '[') {
            run++;
        }
        assertEquals(HostileAgent.DEEP_JSON_DEPTH, run, "nesting depth");
        assertEquals(open + 2 * run, text.indexOf('}', open), "closed by as many brackets");
        assertThrows(IOException.class, () -> mapper.readTree(text), "Jackson refuses the nesting depth");
        assertEquals("after the deep json\n", chunkText(next()));
        assertEndTurn(next());
    }

    @Test
    void badUtf8IsReallyInvalid() throws Exception {
        prompted("bad-utf8");
        byte[] bad = next().head();
        assertTrue(indexOf(bad, HostileAgent.BAD_UTF8) > 0, "the invalid bytes are on the wire");
        assertThrows(CharacterCodingException.class,
                () -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bad)));
        assertEquals("after the bad utf-8\n", chunkText(next()));
        assertEndTurn(next());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void unknownIdAnswersRequestsNobodySent() throws Exception {
        prompted("unknown-id");
        assertEquals(987654321L, json(next()).path("id").asLong());
        assertEquals("no-such-id", json(next()).path("id").asText());
        JsonNode error = json(next());
        assertEquals(424242, error.path("id").asInt());
        assertEquals(-32603, error.at("/error/code").asInt());
        assertEquals("after the unknown ids\n", chunkText(next()));
        assertEndTurn(next());
    }

    @Test
    void duplicateIdAnswersThePromptThreeTimes() throws Exception {
        prompted("duplicate-id");
        chunkText(next());
        assertEndTurn(next());
        JsonNode second = json(next());
        assertEquals(3, second.path("id").asInt());
        assertEquals("refusal", second.at("/result/stopReason").asText());
        JsonNode third = json(next());
        assertEquals(3, third.path("id").asInt());
        assertTrue(third.has("error"));
    }

    @Test
    void floodSendsOneHundredThousandChunksThenEndsTheTurn() throws Exception {
        prompted("flood");
        for (int i = 0; i < HostileAgent.FLOOD_CHUNKS; i++) {
            Line line = next();
            // parse a sample only: 100,000 full parses would dominate the test's time
            if (i % 10_000 == 0) {
                assertEquals(".", chunkText(line));
            } else {
                assertTrue(line.text().contains("\"agent_message_chunk\""), line.text());
            }
        }
        assertEndTurn(next());
    }

    @Test
    void fsEscapeAsksForPathsOutsideCwdAndReportsTheAnswers() throws Exception {
        prompted("fs-escape");
        List<String> asked = new ArrayList<>();
        List<String> reports = new ArrayList<>();
        for (String expected : HostileAgent.escapePaths(cwd.toString())) {
            JsonNode request = json(next());
            assertEquals("fs/read_text_file", request.path("method").asText());
            assertEquals(HostileAgent.SESSION_ID, request.at("/params/sessionId").asText());
            String path = request.at("/params/path").asText();
            asked.add(path);
            assertEquals(expected, path);
            if (path.equals("/etc/passwd")) {
                send("{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id") + ",\"result\":{\"content\":\"root:x:0:0\"}}");
            } else {
                send("{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id")
                        + ",\"error\":{\"code\":-32002,\"message\":\"outside the session directory\"}}");
            }
            reports.add(chunkText(next()));
        }
        assertEndTurn(next());
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(cwd.resolve(HostileAgent.LINK_NAME)));
        assertEquals("fs-escape /etc/passwd -> ok: 10 chars: root:x:0:0\n", reports.get(2));
        assertEquals("fs-escape ../x -> error: outside the session directory\n", reports.get(0));
        assertEquals(6, asked.size());
    }

    @Test
    void forkIgnoreTermStartsATermProofTreeAndWaitsForeverUntilCancelled() throws Exception {
        prompted("fork-ignore-term");
        JsonNode create = json(next());
        assertEquals("terminal/create", create.path("method").asText());
        assertEquals("/bin/sh", create.at("/params/command").asText());
        assertEquals("-c", create.at("/params/args/0").asText());
        assertEquals(HostileAgent.FORK_SCRIPT, create.at("/params/args/1").asText());
        assertEquals(cwd.toString(), create.at("/params/cwd").asText());
        send("{\"jsonrpc\":\"2.0\",\"id\":" + create.path("id") + ",\"result\":{\"terminalId\":\"t-9\"}}");
        assertTrue(chunkText(next()).startsWith("fork-ignore-term: terminal t-9 runs"));
        JsonNode wait = json(next());
        assertEquals("terminal/wait_for_exit", wait.path("method").asText());
        assertEquals("t-9", wait.at("/params/terminalId").asText());
        send("{\"jsonrpc\":\"2.0\",\"method\":\"session/cancel\",\"params\":{\"sessionId\":\"" + HostileAgent.SESSION_ID
                + "\"}}");
        JsonNode done = json(next());
        assertEquals(3, done.path("id").asInt());
        assertEquals("cancelled", done.at("/result/stopReason").asText());
    }

    @Test
    void theForkScriptReallyIgnoresSigterm() throws Exception {
        Process sh = new ProcessBuilder("/bin/sh", "-c", HostileAgent.FORK_SCRIPT).start();
        processes.add(sh);
        long deadline = System.currentTimeMillis() + 5_000;
        while (sh.descendants().count() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        List<ProcessHandle> tree = new ArrayList<>(sh.descendants().toList());
        tree.add(sh.toHandle());
        assertTrue(tree.size() >= 3, "sh and two sleeps: " + tree);
        // The kernel's own record, not a pause: every member has SIGTERM ignored (the trap, inherited
        // across fork and exec). An ignored signal is dropped when sent, so "alive" right after holds.
        while (!tree.stream().allMatch(h -> ignoresTerm(h.pid())) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(tree.stream().allMatch(h -> ignoresTerm(h.pid())), "every member ignores SIGTERM: " + tree);
        tree.forEach(ProcessHandle::destroy); // SIGTERM to every member
        assertTrue(tree.stream().allMatch(ProcessHandle::isAlive), "all of the tree ignores SIGTERM");
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** SigIgn in /proc/PID/status has SIGTERM (15) set. */
    private static boolean ignoresTerm(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 14)) != 0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    @Test
    void closeStdoutEndsTheStreamWhileTheProcessLivesOn() throws Exception {
        prompted("close-stdout");
        assertEquals("closing stdout now\n", chunkText(next()));
        assertNull(next(), "end of file on the agent's stdout");
        assertFalse(process.waitFor(300, TimeUnit.MILLISECONDS), "still running");
        in.close();
        assertFalse(process.waitFor(300, TimeUnit.MILLISECONDS), "still running after stdin EOF");
        process.destroy();
        assertTrue(process.waitFor(5, TimeUnit.SECONDS), "SIGTERM still works");
    }

    @Test
    void neverExitIgnoresSigtermAndStdinEof() throws Exception {
        prompted("never-exit");
        assertTrue(chunkText(next()).startsWith("never-exit"));
        assertEndTurn(next());
        in.close();
        assertFalse(process.waitFor(300, TimeUnit.MILLISECONDS), "stdin EOF is ignored");
        process.destroy();
        assertFalse(process.waitFor(500, TimeUnit.MILLISECONDS), "SIGTERM is ignored");
        process.destroyForcibly();
        assertTrue(process.waitFor(5, TimeUnit.SECONDS), "SIGKILL ends it");
    }

    @Test
    void anUnknownModeIsAUsageError() throws Exception {
        Process p = start("be-nice");
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertTrue(Files.readString(cwd.resolve("agent-stderr.txt")).contains("usage: HostileAgent <mode>"));
        assertArrayEquals(new byte[0], p.getInputStream().readAllBytes());
    }
}
