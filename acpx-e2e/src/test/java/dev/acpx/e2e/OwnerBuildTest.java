package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue owner started by another build is retired and replaced, not reused; and an owner
 * tells agents the real version as clientInfo.version. "Another build" is an owner started with
 * {@code ACPX_TEST_BUILD_ID} set (the test-only override of the build id, see AcpxVersion).
 */
@Timeout(180)
class OwnerBuildTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Acpx acpx;
    Path agentLog;

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        acpx.env.put("ACPX_NO_TRAIN", "1");
        agentLog = tmp.resolve("agent-log.jsonl");
        acpx.env.put("MOCK_AGENT_LOG", agentLog.toString());
        Files.createDirectories(acpx.cwd.resolve(".git"));
    }

    @AfterEach
    void tearDown() throws Exception {
        acpx.env.remove("ACPX_TEST_BUILD_ID");
        a("sessions", "close");
        List<String> left = Procs.awaitNone(acpx.marker, 15000);
        assertEquals(List.of(), left, "processes left behind");
    }

    private Acpx.Result a(String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("--agent", Acpx.mockAgent()));
        full.addAll(List.of(args));
        return acpx.run(null, Duration.ofSeconds(90), full.toArray(String[]::new));
    }

    private JsonNode openRecord() throws Exception {
        try (var files = Files.list(acpx.home.resolve(".acpx/sessions"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode r = JSON.readTree(f.toFile());
                if (!r.path("closed").asBoolean()) {
                    return r;
                }
            }
        }
        throw new AssertionError("no open record");
    }

    @Test
    void anOwnerOfAnotherBuildIsReplaced() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        acpx.env.put("ACPX_TEST_BUILD_ID", "an-older-build");
        Acpx.Result r = a("prompt", "echo from the old build");
        assertEquals(0, r.code(), r::toString);
        JsonNode before = openRecord();
        long oldOwner = before.path("owner_pid").asLong();
        long oldAgent = before.path("pid").asLong();

        acpx.env.remove("ACPX_TEST_BUILD_ID");
        r = a("prompt", "echo from this build");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("from this build"), r::toString);
        JsonNode after = openRecord();
        assertNotEquals(oldOwner, after.path("owner_pid").asLong(), "a new owner serves");
        assertTrue(Signals.awaitGone(oldOwner, Duration.ofSeconds(15)), "the old build's owner is gone");
        assertTrue(Signals.awaitGone(oldAgent, Duration.ofSeconds(15)), "its agent is gone");
        assertTrue(ownerLogs().contains("another acpx build"), ownerLogs());

        // The replacement is not repeated: the same build's owner is reused.
        r = a("prompt", "echo again");
        assertEquals(0, r.code(), r::toString);
        assertEquals(after.path("owner_pid").asLong(), openRecord().path("owner_pid").asLong());
    }

    @Test
    void theOwnerReportsTheRealVersionToAgents() throws Exception {
        assertEquals(0, a("sessions", "new").code());
        Acpx.Result r = a("prompt", "echo hi");
        assertEquals(0, r.code(), r::toString);
        String version = acpx.run("--version").out().strip();
        List<String> versions = new ArrayList<>();
        for (String line : Files.readAllLines(agentLog)) {
            JsonNode entry = JSON.readTree(line);
            JsonNode info = entry.findValue("clientInfo");
            if (info != null) {
                versions.add(info.path("version").asText());
            }
        }
        assertFalse(versions.isEmpty(), "the agent log shows initialize");
        for (String v : versions) {
            assertEquals(version, v, "clientInfo.version");
        }
    }

    private String ownerLogs() throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(acpx.home.resolve(".acpx/queue"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".log")).toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }
}
