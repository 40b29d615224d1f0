package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.PermissionDecision;
import dev.acpx.api.PermissionRequest;
import dev.acpx.api.Session;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, the attack: an agent gets a <em>read</em> approved, then writes {@code pwned.txt} and
 * runs {@code touch ran.txt}. Under every mode, with and without a terminal, in {@code exec}, in a
 * persistent {@code prompt} and in an embedded session: nothing is written and nothing runs unless
 * a yes was given (by a person, or by --approve-all).
 */
@Timeout(300)
class PermissionGuardTest {
    static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path root;
    Acpx acpx;

    @BeforeEach
    void home() throws Exception {
        acpx = new Acpx(root);
        Files.createDirectories(acpx.cwd.resolve(".git"));
        Files.writeString(acpx.cwd.resolve("notes.txt"), "notes\n");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        acpx.run("--agent", probe(), "sessions", "close");
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 10000), "processes left behind");
    }

    static String probe() throws Exception {
        return Acpx.javaAgent(ProbeAgent.class);
    }

    Acpx.Result run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--agent", probe()));
        all.addAll(List.of(args));
        return acpx.run(null, LIMIT, all.toArray(String[]::new));
    }

    boolean written() {
        return Files.exists(acpx.cwd.resolve("pwned.txt"));
    }

    boolean ran() {
        return Files.exists(acpx.cwd.resolve("ran.txt"));
    }

    private void assertRefusedBoth(Acpx.Result r, String details) {
        assertFalse(written(), "the agent wrote a file without a yes: " + r);
        assertFalse(ran(), "the agent ran a command without a yes: " + r);
        assertTrue(r.out().contains("[error] RUNTIME: " + details.replace("<m>", "fs/write_text_file")), r::toString);
        assertTrue(r.out().contains("[error] RUNTIME: " + details.replace("<m>", "terminal/create")), r::toString);
    }

    @Test
    void execApproveReadsWithoutTtyRefusesTheWriteAndTheCommand() throws Exception {
        Acpx.Result r = run("exec", "attack");
        assertRefusedBoth(r, "Permission denied for <m>");
        assertTrue(r.out().contains("probe read-permission -> selected allow"), r::toString);
        // The read was granted, so as in the Node acpx the turn is not a permission failure.
        assertEquals(0, r.code(), r::toString);
    }

    @Test
    void execDenyAllRefusesEverythingAndExits5() throws Exception {
        Acpx.Result r = run("--deny-all", "exec", "attack");
        assertRefusedBoth(r, "Permission denied for <m>");
        assertTrue(r.out().contains("probe read-permission -> selected reject"), r::toString);
        assertEquals(5, r.code(), r::toString);
    }

    @Test
    void execNonInteractiveFailRefusesWithTheNodeMessage() throws Exception {
        Acpx.Result r = run("--non-interactive-permissions", "fail", "exec", "attack");
        assertRefusedBoth(r, "Permission prompt unavailable in non-interactive mode");
    }

    @Test
    void execApproveAllAllowsBoth() throws Exception {
        Acpx.Result r = run("--approve-all", "exec", "attack");
        assertEquals(0, r.code(), r::toString);
        assertTrue(written(), r::toString);
        assertTrue(ran(), r::toString);
    }

    @Test
    void readsAreRefusedUnderDenyAllOnly() throws Exception {
        Acpx.Result r = run("--deny-all", "exec", "read notes.txt");
        assertTrue(r.out().contains("probe read -> error Permission denied for fs/read_text_file"), r::toString);
        assertEquals(5, r.code(), r::toString);
        r = run("exec", "read notes.txt");
        assertTrue(r.out().contains("probe read -> ok"), r::toString);
        assertEquals(0, r.code(), r::toString);
    }

    @Test
    void execAtATerminalAsksForEachAndDoesOnlyWhatWasAllowed() throws Exception {
        try (Pty pty = Pty.start(acpx, List.of("--agent", probe(), "exec", "attack"))) {
            pty.await("Allow write? (y/N) ", 1, LIMIT);
            assertTrue(pty.seen().contains("[permission] Allow write to " + acpx.cwd.toRealPath().resolve("pwned.txt")
                    + "?"), pty::seen);
            pty.type("y");
            pty.await("[permission] Allow terminal command \"/bin/sh \"-c\" \"touch ran.txt\"\"? (y/N) ", 1, LIMIT);
            pty.type("n");
            assertEquals(0, pty.exit(LIMIT), pty::seen);
            assertTrue(written(), pty::seen);
            assertFalse(ran(), pty::seen);
        }
    }

    @Test
    void denyAllAtATerminalAsksNothingAndRefusesBoth() throws Exception {
        try (Pty pty = Pty.start(acpx, List.of("--agent", probe(), "--deny-all", "exec", "attack"))) {
            assertEquals(5, pty.exit(LIMIT), pty::seen);
            assertFalse(pty.seen().contains("(y/N)"), pty::seen);
        }
        assertFalse(written());
        assertFalse(ran());
    }

    @Test
    void aPersonsYesToAnEditCoversItsOwnWriteOnlyOnce() throws Exception {
        try (Pty pty = Pty.start(acpx, List.of("--agent", probe(), "exec", "edit"))) {
            pty.await("Allow Edit ok.txt? (y/N) ", 1, LIMIT);
            pty.type("y");
            // No second question for ok.txt; the write of another path and a second write of ok.txt ask.
            pty.await("Allow write? (y/N) ", 1, LIMIT);
            assertTrue(pty.seen().contains("Allow write to " + acpx.cwd.toRealPath().resolve("other.txt")), pty::seen);
            pty.type("n");
            pty.await("Allow write? (y/N) ", 2, LIMIT);
            pty.type("n");
            assertEquals(0, pty.exit(LIMIT), pty::seen);
            assertTrue(pty.seen().contains("probe write-approved -> ok"), pty::seen);
            assertEquals("written by write-approved", Files.readString(acpx.cwd.resolve("ok.txt")));
            assertFalse(Files.exists(acpx.cwd.resolve("other.txt")), pty::seen);
        }
    }

    @Test
    void aPersonsYesToAnExecuteCallCoversOneTerminal() throws Exception {
        try (Pty pty = Pty.start(acpx, List.of("--agent", probe(), "exec", "execute"))) {
            pty.await("Allow Run touch first.txt? (y/N) ", 1, LIMIT);
            pty.type("y");
            pty.await("touch second.txt\"\"? (y/N) ", 1, LIMIT);
            assertFalse(pty.seen().contains("touch first.txt\"\"? (y/N)"), pty::seen);
            pty.type("n");
            assertEquals(0, pty.exit(LIMIT), pty::seen);
            assertTrue(Files.exists(acpx.cwd.resolve("first.txt")), pty::seen);
            assertFalse(Files.exists(acpx.cwd.resolve("second.txt")), pty::seen);
        }
    }

    @Test
    void endOfInputOnTheTerminalAnswersNo() throws Exception {
        try (Pty pty = Pty.start(acpx, List.of("--agent", probe(), "exec", "attack"))) {
            pty.await("Allow write? (y/N) ", 1, LIMIT);
            pty.typeRaw("\u0004"); // Ctrl+D: end of input
            pty.await("(y/N) ", 2, LIMIT);
            pty.typeRaw("\u0004");
            assertEquals(0, pty.exit(LIMIT), pty::seen);
        }
        assertFalse(written());
        assertFalse(ran());
    }

    @Test
    void persistentPromptWithoutTtyRefusesAndARefusalIsNotStickyOnAWarmOwner() throws Exception {
        assertEquals(0, run("sessions", "new").code());
        Acpx.Result r = run("--deny-all", "prompt", "attack");
        assertRefusedBoth(r, "Permission denied for <m>");
        assertEquals(5, r.code(), r::toString);
        r = run("prompt", "attack");
        assertRefusedBoth(r, "Permission denied for <m>");
        // Turn 2 on the same warm owner: only its own counts decide (the Node acpx would exit 5).
        r = run("prompt", "hello");
        assertEquals(0, r.code(), r::toString);
        r = run("--approve-all", "prompt", "attack");
        assertEquals(0, r.code(), r::toString);
        assertTrue(written() && ran(), r::toString);
    }

    @Test
    void persistentPromptAtATerminalAsksTheCallerYesAndNo() throws Exception {
        assertEquals(0, run("sessions", "new").code());
        try (Pty pty = Pty.start(acpx, List.of("--agent", probe(), "prompt", "attack"))) {
            pty.await("Allow write? (y/N) ", 1, LIMIT);
            pty.type("y");
            pty.await("touch ran.txt\"\"? (y/N) ", 1, LIMIT);
            pty.type("n");
            assertEquals(0, pty.exit(LIMIT), pty::seen);
            // As the Node acpx shows it: the agent's request, then our refusal of it.
            assertTrue(pty.seen().contains("[client] terminal/create (running)"), pty::seen);
            assertTrue(pty.seen().contains("[error] RUNTIME: Permission denied for terminal/create"), pty::seen);
        }
        assertTrue(written());
        assertFalse(ran());
    }

    @Test
    void embeddedSessionRefusesByDefaultAndAHostPolicySeesWritesAndTerminals() throws Exception {
        try (AcpxRuntime rt = EmbeddedHost.runtime(acpx).build()) {
            AgentRef agent = rt.resolveAgent(probe(), true, acpx.cwd);
            List<TurnEvent> events = new CopyOnWriteArrayList<>();
            try (Session s = rt.open(SessionOptions.oneShot(agent, acpx.cwd))) {
                s.prompt("attack", events::add);
            }
            assertFalse(written(), events::toString);
            assertFalse(ran(), events::toString);
            assertTrue(events.stream().anyMatch(e -> e instanceof TurnEvent.ClientOperation op
                    && op.status().equals("denied") && op.method().equals("terminal/create")), events::toString);

            List<PermissionRequest> seen = new CopyOnWriteArrayList<>();
            try (Session s = rt.open(SessionOptions.oneShot(agent, acpx.cwd).withPermissions(request -> {
                seen.add(request);
                return request instanceof PermissionRequest.Terminal ? new PermissionDecision.Deny()
                        : new PermissionDecision.Allow(false);
            }))) {
                TurnResult result = s.prompt("attack", e -> { });
                assertEquals(1, result.permissionsGranted(), result::toString);
            }
            assertTrue(written(), seen::toString);
            assertFalse(ran(), seen::toString);
            PermissionRequest.FileWrite write = (PermissionRequest.FileWrite) seen.stream()
                    .filter(r -> r instanceof PermissionRequest.FileWrite).findFirst().orElseThrow();
            assertEquals(acpx.cwd.toRealPath().resolve("pwned.txt").toString(), write.path());
            assertEquals(null, write.approvedToolCallId(), "a read approval covers no write");
            PermissionRequest.Terminal terminal = (PermissionRequest.Terminal) seen.stream()
                    .filter(r -> r instanceof PermissionRequest.Terminal).findFirst().orElseThrow();
            assertEquals(List.of("-c", "touch ran.txt"), terminal.args());
        }
    }
}
