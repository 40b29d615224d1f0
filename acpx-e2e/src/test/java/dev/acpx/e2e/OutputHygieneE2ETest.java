package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent writes cannot break our output: {@code --json-strict} prints nothing but JSON-RPC
 * lines on stdout and nothing on stderr whatever junk the agent prints, and an agent's error text
 * with terminal escapes and line breaks reaches the terminal as one escaped line.
 */
@Timeout(120)
class OutputHygieneE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Acpx acpx;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(root);
        acpx.env.put("HOSTILE_AGENT_LIFETIME_SECONDS", "90");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 5000), "processes left behind");
    }

    @Test
    void jsonStrictPrintsOnlyJsonRpcWhateverTheAgentWrites() throws Exception {
        Acpx.Result r = acpx.run("--format", "json", "--json-strict", "--agent",
                HostileAgentCliTest.agent("junk-stdout"), "exec", "x");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err(), "--json-strict must keep stderr empty");
        List<String> lines = r.out().lines().toList();
        assertFalse(lines.isEmpty(), r::toString);
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            assertTrue(node.isObject() && "2.0".equals(node.path("jsonrpc").asText()),
                    "not a JSON-RPC message on stdout: " + line);
        }
        for (String junk : HostileAgent.JUNK_LINES) {
            assertFalse(lines.contains(junk), "the agent's junk reached stdout: " + junk);
        }
        assertTrue(r.out().contains("after the junk"), "the real messages around the junk are kept: " + r);
        assertFalse(r.out().contains("\u001b"), "no raw escape on stdout");
    }

    @Test
    void jsonWithoutStrictStillKeepsJunkOffStdout() throws Exception {
        Acpx.Result r = acpx.run("--format", "json", "--agent", HostileAgentCliTest.agent("junk-stdout"), "exec", "x");
        assertEquals(0, r.code(), r::toString);
        for (String line : r.out().lines().toList()) {
            assertEquals("2.0", JSON.readTree(line).path("jsonrpc").asText(), "not JSON-RPC on stdout: " + line);
        }
        assertFalse(r.err().contains("\u001b"), "stderr carries a raw escape: " + r);
    }

    @Test
    void anAgentErrorWithEscapesAndNewlinesIsOneEscapedLine() throws Exception {
        Acpx.Result r = acpx.run("--agent", HostileAgentCliTest.agent("error-escapes"), "exec", "x");
        assertEquals(1, r.code(), r::toString);
        assertNoControlCharacters(r.err());
        String line = r.err().lines().filter(l -> l.contains("boom")).findFirst().orElseThrow(
                () -> new AssertionError("the agent's message is missing: " + r));
        assertTrue(line.contains("boom \\u001b[31mred\\u001b[0m\\nsecond line\\r\\n\\u0007"), line);
        assertTrue(line.contains(" end"), "the message was cut at its first line break: " + line);
    }

    @Test
    void theSameErrorInJsonAndQuietFormats() throws Exception {
        Acpx.Result json = acpx.run("--format", "json", "--agent", HostileAgentCliTest.agent("error-escapes"),
                "exec", "x");
        assertEquals(1, json.code(), json::toString);
        assertNoControlCharacters(json.err());
        JsonNode error = null;
        for (String line : json.out().lines().toList()) {
            JsonNode node = JSON.readTree(line);
            if (node.path("error").path("data").path("origin").asText().equals("cli")) {
                error = node.path("error");
            }
        }
        assertTrue(error != null, "no acpx error object: " + json);
        assertNoControlCharacters(error.path("message").asText());

        Acpx.Result quiet = acpx.run("--format", "quiet", "--agent", HostileAgentCliTest.agent("error-escapes"),
                "exec", "x");
        assertEquals(1, quiet.code(), quiet::toString);
        assertNoControlCharacters(quiet.err());
        assertEquals(1, quiet.err().lines().filter(l -> l.contains("boom")).count(), quiet::toString);
    }

    /** Nothing but printable text and line feeds (which separate our own lines). */
    private static void assertNoControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))) {
                throw new AssertionError("control character U+" + String.format("%04X", (int) c) + " at " + i
                        + " in: " + text);
            }
        }
    }
}
