package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permission policy files (SPEC-P2 §6) and the capability flags (SPEC-P2 §8) through the real CLI:
 * rule order, a policy over the mode, escalation with and without a terminal (in exec and through
 * the queue owner to the caller's terminal), the Node acpx's error messages, and
 * {@code --no-fs}/{@code --no-terminal} advertised and enforced.
 */
@Timeout(300)
class PermissionPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Acpx acpx;

    @BeforeEach
    void home() throws Exception {
        acpx = new Acpx(root);
        Files.createDirectories(acpx.cwd.resolve(".git"));
    }

    @AfterEach
    void nothingLeft() throws Exception {
        acpx.run("--agent", PermissionGuardTest.probe(), "sessions", "close");
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 10000), "processes left behind");
    }

    Acpx.Result run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--agent", PermissionGuardTest.probe()));
        all.addAll(List.of(args));
        return acpx.run(null, PermissionGuardTest.LIMIT, all.toArray(String[]::new));
    }

    @Test
    void anAutoApproveRuleApprovesEvenUnderDenyAll() throws Exception {
        Acpx.Result r = run("--deny-all", "--permission-policy", "{\"autoApprove\":[\"edit\"]}", "exec",
                "ask edit Edit x.txt");
        assertTrue(r.out().contains("probe ask -> selected allow"), r::toString);
        assertEquals(0, r.code(), r::toString);
    }

    @Test
    void autoDenyBeatsAutoApprove() throws Exception {
        Acpx.Result r = run("--approve-all", "--policy", "{\"autoApprove\":[\"edit\"],\"autoDeny\":[\"Edit\"]}",
                "exec", "ask edit Edit x.txt");
        assertTrue(r.out().contains("probe ask -> selected reject"), r::toString);
        assertEquals(5, r.code(), r::toString);
    }

    @Test
    void aDefaultActionBeatsTheModeAndRulesMatchWholeTokensOnly() throws Exception {
        Acpx.Result r = run("--approve-all", "--policy", "{\"defaultAction\":\"deny\"}", "exec", "ask read Read a");
        assertTrue(r.out().contains("probe ask -> selected reject"), r::toString);
        // "note" is no token of "Read notes.txt": no substring matching, so the mode (approve-reads) reads.
        r = run("--policy", "{\"autoDeny\":[\"note\"]}", "exec", "ask read Read notes.txt");
        assertTrue(r.out().contains("probe ask -> selected allow"), r::toString);
        // The tool name (rawInput.name) and the title's first word are tokens.
        r = run("--approve-all", "--policy", "{\"autoDeny\":[\"bash\"]}", "exec", "ask execute Bash: ls");
        assertTrue(r.out().contains("probe ask -> selected reject"), r::toString);
    }

    @Test
    void aPolicyFromAFileRelativeToTheCwd() throws Exception {
        Files.writeString(acpx.cwd.resolve("policy.json"), "{\"autoDeny\": [\"read\"]}");
        Acpx.Result r = run("--permission-policy", "policy.json", "exec", "ask read Read a");
        assertTrue(r.out().contains("probe ask -> selected reject"), r::toString);
        assertEquals(5, r.code(), r::toString);
    }

    @Test
    void aPolicyNeverLetsAWriteOrACommandThrough() throws Exception {
        Files.writeString(acpx.cwd.resolve("notes.txt"), "notes\n");
        Acpx.Result r = run("--policy", "{\"autoApprove\":[\"*\"]}", "exec", "attack");
        assertFalse(Files.exists(acpx.cwd.resolve("pwned.txt")), r::toString);
        assertFalse(Files.exists(acpx.cwd.resolve("ran.txt")), r::toString);
    }

    @Test
    void escalateWithoutATerminalRefusesAndReportsTheEscalation() throws Exception {
        Acpx.Result r = run("--approve-all", "--policy", "{\"escalate\":[\"execute\"]}", "exec", "ask execute Bash: ls");
        assertEquals(5, r.code(), r::toString);
        assertTrue(r.out().contains("probe ask -> selected reject escalated"), r::toString);
        assertTrue(r.out().contains("[permission] Permission escalation required for Bash: ls\n"
                + "  sessionId: " + ProbeAgent.SESSION_ID + "\n  toolCallId: t-ask\n  toolName: Bash\n"
                + "  toolTitle: Bash: ls\n  toolInput: {\"name\":\"Bash\"}\n  toolKind: execute\n"
                + "  matchedRule: execute\n"), r::toString);

        r = run("--format", "json", "--approve-all", "--policy", "{\"escalate\":[\"execute\"]}", "exec",
                "ask execute Bash: ls");
        JsonNode response = null;
        for (String line : r.out().split("\n")) {
            JsonNode n = JSON.readTree(line);
            if (n.path("result").has("_meta")) {
                response = n;
            }
        }
        assertTrue(response != null, r::toString);
        JsonNode esc = response.at("/result/_meta/acpx/permissionEscalation");
        assertEquals("permission_escalation", esc.path("type").asText(), response::toString);
        assertEquals("escalate", esc.path("action").asText());
        assertEquals("execute", esc.path("matchedRule").asText());
        assertEquals("Permission escalation required for Bash: ls", esc.path("message").asText());
        assertEquals("Bash", esc.at("/toolInput/name").asText());
        assertEquals("reject", response.at("/result/outcome/optionId").asText());
    }

    @Test
    void escalateAtATerminalAsksInExecAndThroughTheQueueOwner() throws Exception {
        String question = "[permission] Allow Bash: ls [execute]? (y/N) ";
        try (Pty pty = Pty.start(acpx, List.of("--agent", PermissionGuardTest.probe(), "--deny-all", "--policy",
                "{\"escalate\":[\"bash\"]}", "exec", "ask execute Bash: ls"))) {
            pty.await(question, 1, PermissionGuardTest.LIMIT);
            pty.type("y");
            assertEquals(0, pty.exit(PermissionGuardTest.LIMIT), pty::seen);
            assertTrue(pty.seen().contains("probe ask -> selected allow"), pty::seen);
        }
        assertEquals(0, run("sessions", "new").code());
        try (Pty pty = Pty.start(acpx, List.of("--agent", PermissionGuardTest.probe(), "--policy",
                "{\"escalate\":[\"bash\"]}", "prompt", "ask execute Bash: ls"))) {
            pty.await(question, 1, PermissionGuardTest.LIMIT);
            pty.type("n");
            assertEquals(5, pty.exit(PermissionGuardTest.LIMIT), pty::seen);
            assertTrue(pty.seen().contains("probe ask -> selected reject"), pty::seen);
            assertFalse(pty.seen().contains("escalated"), "a person answered: no escalation report\n" + pty.seen());
        }
    }

    @Test
    void invalidPoliciesAreUsageErrorsWithTheNodeMessages() throws Exception {
        Path notObject = Files.writeString(acpx.cwd.resolve("list.json"), "[1]");
        String abs = acpx.cwd.resolve("missing.json").toString();
        String[][] cases = {
            {"--permission-policy", "{\"autoApprove\":\"edit\"}",
                "Invalid permission policy: --permission-policy: permission policy autoApprove must be an array of strings"},
            {"--permission-policy", "{\"autoDeny\":[\" \"]}",
                "Invalid permission policy: --permission-policy: permission policy autoDeny must contain only non-empty strings"},
            {"--policy", "{\"defaultAction\":\"maybe\"}",
                "Invalid permission policy: --permission-policy: permission policy defaultAction must be one of approve, deny, escalate"},
            {"--policy", "list.json",
                "Invalid permission policy: " + notObject.toAbsolutePath() + ": permission policy must be a JSON object"},
            {"--policy", "missing.json",
                "Invalid permission policy: ENOENT: no such file or directory, open '" + abs + "'"},
            {"--policy", "{\"autoApprove\":[", "Invalid permission policy: --permission-policy: "},
        };
        for (String[] c : cases) {
            Acpx.Result r = run(c[0], c[1], "exec", "hello");
            assertEquals(2, r.code(), r::toString);
            assertTrue(r.err().contains(c[2]), "expected \"" + c[2] + "\" in\n" + r);
            assertFalse(r.out().contains("probe"), "the agent must not run: " + r);
        }
        Acpx.Result r = run("--permission-policy", "{}", "--policy", "{\"autoDeny\":[]}", "exec", "hello");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("Use only one permission policy flag: --permission-policy or --policy"), r::toString);
    }

    @Test
    void noFsAndNoTerminalAreNotAdvertisedAndRefused() throws Exception {
        Acpx.Result r = run("--format", "json", "--approve-all", "exec", "hello");
        assertTrue(r.out().contains("\"clientCapabilities\":{\"fs\":{\"readTextFile\":true,\"writeTextFile\":true},"
                + "\"terminal\":true,"), r::toString);
        Files.writeString(acpx.cwd.resolve("notes.txt"), "notes\n");
        r = run("--format", "json", "--approve-all", "--no-fs", "--no-terminal", "exec", "attack");
        assertTrue(r.out().contains("\"clientCapabilities\":{\"fs\":{\"readTextFile\":false,\"writeTextFile\":false},"
                + "\"terminal\":false,"), r::toString);
        assertFalse(Files.exists(acpx.cwd.resolve("pwned.txt")), r::toString);
        assertFalse(Files.exists(acpx.cwd.resolve("ran.txt")), r::toString);
        assertTrue(r.out().contains("Method not found: fs/write_text_file"), r::toString);
        assertTrue(r.out().contains("Method not found: terminal/create"), r::toString);
    }

    @Test
    void capabilitiesOfAPromptAreFixedWhenItsOwnerStarts() throws Exception {
        Files.writeString(acpx.cwd.resolve("notes.txt"), "notes\n");
        assertEquals(0, run("sessions", "new").code());
        Acpx.Result r = run("--approve-all", "--no-terminal", "prompt", "attack");
        assertTrue(Files.exists(acpx.cwd.resolve("pwned.txt")), r::toString);
        assertFalse(Files.exists(acpx.cwd.resolve("ran.txt")), r::toString);
        // The warm owner keeps what it started with, whatever later prompts say.
        r = run("--approve-all", "prompt", "attack");
        assertFalse(Files.exists(acpx.cwd.resolve("ran.txt")), r::toString);
        assertTrue(r.out().contains("Method not found: terminal/create"), r::toString);
    }
}
