package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every number a user can give (--ttl, --timeout, the numeric config keys) is checked before
 * anything starts: a value out of range, not finite, rounding to zero or not a plain number is
 * one line naming the flag (or the file and key), the value and the allowed range, with the
 * usage exit code (a config file keeps its config error, exit 1), and no queue owner is left.
 */
@Timeout(600)
class NumbersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RANGE = "0.001 to 2147483.647 seconds";

    @TempDir
    Path root;
    Acpx acpx;

    @BeforeEach
    void session() throws Exception {
        acpx = new Acpx(root);
        Acpx.Result created = a("sessions", "new");
        assertEquals(0, created.code(), created::toString);
    }

    @AfterEach
    void nothingLeft() throws Exception {
        a("sessions", "close");
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 10000), "processes left behind");
        assertEquals(List.of(), Invariants.violations(acpx.home, acpx.marker), "SPEC §9 invariants");
    }

    private Acpx.Result a(String... args) throws Exception {
        String[] full = new String[args.length + 2];
        full[0] = "--agent";
        full[1] = Acpx.mockAgent();
        System.arraycopy(args, 0, full, 2, args.length);
        // Generous: the machine running these may be loaded many times over.
        return acpx.run(null, java.time.Duration.ofSeconds(180), full);
    }

    private void noOwner() throws Exception {
        Path dir = acpx.home.resolve(".acpx/sessions");
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode r = JSON.readTree(f.toFile());
                assertTrue(r.path("owner_pid").isMissingNode() || r.path("owner_pid").isNull(),
                        "no owner recorded: " + r.path("owner_pid"));
            }
        }
        assertEquals(List.of(), Procs.withMarker(acpx.marker), "no owner or agent runs");
    }

    private void refused(String flag, String value, boolean zeroAllowed) throws Exception {
        Acpx.Result r = a(flag, value, "prompt", "hello");
        assertEquals(2, r.code(), () -> flag + " " + value + ": " + r);
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), () -> "one line: " + r);
        String expected = flag + " must be " + (zeroAllowed ? "0 (forever) or " : "") + RANGE + ", got '" + value + "'";
        assertEquals(expected, lines.getFirst());
        assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r::toString);
        noOwner();
    }

    @Test
    void hugeTinyAndMalformedTtlsAreUsageErrorsAndStartNoOwner() throws Exception {
        Acpx.assumeOwnProcesses("that no acpx process runs after a refused command (the daemon stays)");
        for (String v : List.of("99999999999999999999", "2147483.648", "1e-9", "0.0004", "1e99", "-1", "NaN",
                "Infinity", "0x10", "", " ", "1,5", "5s")) {
            refused("--ttl", v, true);
        }
    }

    @Test
    void hugeTinyAndMalformedTimeoutsAreUsageErrorsAndStartNoOwner() throws Exception {
        Acpx.assumeOwnProcesses("that no acpx process runs after a refused command (the daemon stays)");
        for (String v : List.of("99999999999999999999", "1e99", "2147483.648", "1e-9", "0.0004", "0", "0.0", "-1",
                "NaN", "-Infinity", "0x10", "")) {
            refused("--timeout", v, false);
        }
    }

    @Test
    void theLargestAndSmallestValidValuesWork() throws Exception {
        Acpx.Result r = a("--ttl", "2147483.647", "--timeout", "2147483.647", "prompt", "hello");
        assertEquals(0, r.code(), r::toString);
        try (var files = Files.list(acpx.home.resolve(".acpx/sessions"))) {
            Path record = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
            long owner = JSON.readTree(record.toFile()).path("owner_pid").asLong(0);
            assertTrue(owner > 0 && Procs.alive(owner), "the owner with the longest TTL runs: " + owner);
        }
        Acpx.Result status = a("status");
        assertEquals(0, status.code(), status::toString);
        // 0.0005 s rounds to 1 ms: a real (if absurd) limit, not zero and not forever.
        Acpx.Result tiny = a("--timeout", "0.0005", "prompt", "hello");
        assertEquals(3, tiny.code(), tiny::toString);
    }

    @Test
    void numbersOutOfRangeInAConfigFileNameTheFileAndKey() throws Exception {
        Acpx.assumeOwnProcesses("that no acpx process runs after a refused command (the daemon stays)");
        Path rc = acpx.cwd.resolve(".acpxrc.json");
        for (String config : List.of("{\"ttl\": 1e-9}", "{\"ttl\": 99999999999999999999}", "{\"timeout\": 0.0001}",
                "{\"timeout\": 1e99}", "{\"queueMaxDepth\": 0}", "{\"queueMaxDepth\": 1e300}",
                "{\"queueMaxDepth\": 2.5}", "{\"maxConcurrentSessions\": 100000}")) {
            Files.writeString(rc, config);
            String key = config.substring(2, config.indexOf('"', 2));
            Acpx.Result r = a("prompt", "hello");
            assertEquals(1, r.code(), () -> config + ": " + r);
            List<String> lines = r.err().strip().lines().filter(l -> !l.startsWith("hint: ")).toList();
            assertEquals(1, lines.size(), () -> "one line (and hints): " + r);
            assertTrue(lines.getFirst().contains(".acpxrc.json") && lines.getFirst().contains("\"" + key + "\""),
                    r::toString);
            noOwner();
        }
        Files.delete(rc);
    }
}
