package dev.acpx.core.options;

import dev.acpx.core.config.McpConfigFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.config.ConfigException;
import dev.acpx.core.protocol.NewSessionRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC-P2 §7: the MCP server list checked and shaped as the Node acpx does, and sent verbatim. */
class McpServerListTest {
    private final ObjectMapper mapper = new ObjectMapper();
    @TempDir
    Path tmp;

    @Test
    void shapesStdioHttpAndSseWithTrimmedStringsAndEmptyLists() throws Exception {
        var in = mapper.readTree("[{\"name\":\" a \",\"command\":\" c \",\"extra\":1},"
                + "{\"type\":\"http\",\"name\":\"h\",\"url\":\" u \",\"headers\":null,\"_meta\":{\"k\":[1]}},"
                + "{\"type\":\"stdio\",\"name\":\"s\",\"command\":\"c\",\"args\":[\" x \"],\"env\":[{\"name\":\" N \",\"value\":\" v \"}]}]");
        var out = McpServers.parse(in, "/f.json");
        assertEquals("[{\"name\":\"a\",\"command\":\"c\",\"args\":[],\"env\":[]},"
                + "{\"type\":\"http\",\"name\":\"h\",\"url\":\"u\",\"headers\":[],\"_meta\":{\"k\":[1]}},"
                + "{\"name\":\"s\",\"command\":\"c\",\"args\":[\" x \"],\"env\":[{\"name\":\"N\",\"value\":\" v \"}]}]",
                out.toString());
        // on the wire exactly as parsed (key order, _meta), inside session/new
        String sent = mapper.writeValueAsString(new NewSessionRequest("/w", McpServers.toProtocol(out)));
        assertEquals("{\"cwd\":\"/w\",\"mcpServers\":" + out + "}", sent);
    }

    @Test
    void errorsNameTheEntryAndFieldInTheNodeOrder() throws Exception {
        assertEquals("Invalid mcpServers[0] in /f.json.headers[0].name: expected non-empty string", assertThrows(
                McpServers.InvalidException.class, () -> McpServers.parse(mapper.readTree(
                        "[{\"type\":\"sse\",\"name\":\"n\",\"url\":\"u\",\"headers\":[{\"value\":\"v\"}]}]"), "/f.json"))
                .getMessage());
        assertEquals("Invalid mcpServers in /f.json: expected array", assertThrows(McpServers.InvalidException.class,
                () -> McpServers.parse(null, "/f.json")).getMessage());
        // name is checked before _meta, _meta before type
        assertEquals("Invalid mcpServers[0] in /f.json._meta: expected object or null", assertThrows(
                McpServers.InvalidException.class, () -> McpServers.parse(mapper.readTree(
                        "[{\"name\":\"n\",\"_meta\":1,\"type\":\"bad\"}]"), "/f.json")).getMessage());
    }

    @Test
    void mcpConfigFileIsResolvedAgainstTheCwdAndFingerprinted() throws Exception {
        Files.writeString(tmp.resolve("m.json"), "{\"mcpServers\":[{\"name\":\"n\",\"command\":\"c\"}],\"x\":1}");
        var a = McpConfigFile.load(tmp, "m.json", mapper);
        assertEquals(tmp.resolve("m.json"), a.path());
        assertEquals(64, a.fingerprint().length());
        Files.writeString(tmp.resolve("m.json"), "{\"mcpServers\":[{\"name\":\"n\",\"command\":\"d\"}]}");
        var b = McpConfigFile.load(tmp, "./m.json", mapper);
        assertEquals(false, a.fingerprint().equals(b.fingerprint()));
        assertEquals("MCP config file not found: " + tmp.resolve("none.json"), assertThrows(ConfigException.class,
                () -> McpConfigFile.load(tmp, "none.json", mapper)).getMessage());
    }
}
