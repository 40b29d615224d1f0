package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Invariants} on hand-written homes, with real live and dead processes. */
class InvariantsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    Path sessions;
    Path slots;
    final String marker = "inv-test-" + UUID.randomUUID();
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void layout() throws IOException {
        sessions = privateDir(home.resolve(".acpx"), "sessions");
        slots = privateDir(home.resolve(".acpx"), "slots");
    }

    @AfterEach
    void killAll() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // --- fixtures -----------------------------------------------------------------------------

    private static Path privateDir(Path parent, String name) throws IOException {
        Files.createDirectories(parent);
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    private Process sleeper(boolean marked) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("sleep", "300");
        if (marked) {
            pb.environment().put("ACPX_TEST_MARKER", marker);
        }
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** A pid that was just alive and is now dead and reaped (not a zombie). */
    private long deadPid() throws Exception {
        Process p = sleeper(false);
        p.destroyForcibly();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        return p.pid();
    }

    private static Instant startOf(Process p) {
        return p.toHandle().info().startInstant().orElseThrow();
    }

    private ObjectNode record(String id) {
        ObjectNode r = JSON.createObjectNode();
        r.put("schema", "acpx.session.v1");
        r.put("acpx_record_id", id);
        r.put("agent_command", "node agent.mjs");
        r.put("cwd", "/tmp/x");
        r.put("closed", false);
        return r;
    }

    private ObjectNode closedOneShot(String id) {
        ObjectNode r = record(id);
        r.put("mode", "oneshot");
        r.put("closed", true);
        r.put("closed_at", "2026-11-24T22:05:26.788Z");
        r.put("closed_reason", "exec finished");
        return r;
    }

    private void write(ObjectNode r) throws IOException {
        Path f = sessions.resolve(r.get("acpx_record_id").asText() + ".json");
        Files.write(f, JSON.writeValueAsBytes(r));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    private List<String> check() {
        return Invariants.violations(home, marker);
    }

    private static void assertOne(List<String> found, String... fragments) {
        assertEquals(1, found.size(), () -> "expected one violation, got " + found);
        for (String f : fragments) {
            assertTrue(found.get(0).contains(f), () -> "'" + f + "' not in " + found);
        }
    }

    // --- cases --------------------------------------------------------------------------------

    @Test
    void emptyAndMissingHomesAreFine() throws IOException {
        assertEquals(List.of(), check());
        assertEquals(List.of(), Invariants.violations(home.resolve("nothing-here"), marker));
    }

    @Test
    void consistentRecordsAreFine() throws Exception {
        Process agent = sleeper(false);
        ObjectNode open = record("open-live");
        open.put("mode", "persistent");
        open.put("pid", agent.pid());
        open.put("agent_pid_started_at", startOf(agent).toString());
        open.put("owner_pid", ProcessHandle.current().pid());
        open.put("owner_started_at", ProcessHandle.current().info().startInstant().orElseThrow().toString());
        write(open);
        write(closedOneShot("done"));
        ObjectNode running = record("oneshot-running");
        running.put("mode", "oneshot");
        running.put("owner_pid", agent.pid());
        write(running); // not closed, but its process is alive: still in flight
        ObjectNode idle = record("persistent-idle");
        idle.put("last_agent_disconnect_reason", "process_gone");
        write(idle); // open, no pid: a resumable session, fine
        assertEquals(List.of(), check());
    }

    @Test
    void procStartTimeAgreesWithTheJdk() throws Exception {
        Process p = sleeper(false);
        Instant fromProc = new ProcTable().live(p.pid()).orElseThrow().startedAt();
        assertTrue(Duration.between(fromProc, startOf(p)).abs().compareTo(Duration.ofMillis(1000)) < 0,
                fromProc + " vs " + startOf(p));
    }

    @Test
    void deadAgentPidIsReported() throws Exception {
        long dead = deadPid();
        ObjectNode r = record("ghost");
        r.put("pid", dead);
        write(r);
        assertOne(check(), "record ghost", "pid " + dead, "no such live process");
    }

    @Test
    void deadOwnerPidIsReported() throws Exception {
        long dead = deadPid();
        ObjectNode r = record("orphan");
        r.put("owner_pid", dead);
        r.put("owner_started_at", "2026-11-24T22:05:26.788Z");
        write(r);
        assertOne(check(), "record orphan", "owner_pid " + dead);
    }

    @Test
    void reusedPidIsReportedByStartTime() throws Exception {
        Process other = sleeper(false);
        ObjectNode r = record("reused");
        r.put("pid", other.pid());
        r.put("agent_pid_started_at", startOf(other).minusSeconds(3600).toString());
        write(r);
        assertOne(check(), "record reused", "is another process", "sleep 300");
        r.put("agent_pid_started_at", startOf(other).plusMillis(400).toEpochMilli()); // epoch millis, in tolerance
        write(r);
        assertEquals(List.of(), check());
    }

    @Test
    void openOneShotWithoutProcessIsReported() throws Exception {
        ObjectNode r = record("zombie-record");
        r.put("mode", "oneshot");
        write(r);
        assertOne(check(), "record zombie-record", "one-shot", "closed: true", "closed_at", "closed_reason");
        r.put("owner_pid", deadPid());
        write(r);
        assertEquals(2, check().size(), check()::toString);
    }

    @Test
    void closedOneShotWithoutReasonIsReported() throws Exception {
        ObjectNode r = closedOneShot("no-reason");
        r.put("closed_reason", " ");
        write(r);
        assertOne(check(), "record no-reason", "lacks closed_reason");
    }

    @Test
    void closedRecordNamingAPidIsReported() throws Exception {
        Process alive = sleeper(false);
        ObjectNode r = closedOneShot("closed-with-pid");
        r.put("pid", alive.pid());
        write(r);
        assertOne(check(), "record closed-with-pid", "closed but still names pid " + alive.pid());
    }

    @Test
    void tornRecordIsReported() throws Exception {
        Path f = sessions.resolve("torn.json");
        Files.writeString(f, "{\"schema\":\"acpx.session.v1\",\"clo");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertOne(check(), "record torn.json", "torn");
        Files.writeString(f, ""); // killed between create and write
        assertOne(check(), "record torn.json");
    }

    @Test
    void markedProcessIsALeakUntilItDies() throws Exception {
        Process p = sleeper(true);
        sleeper(false); // unmarked: not ours to judge
        assertOne(check(), "leaked process", "pid " + p.pid(), "sleep 300");
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        assertEquals(List.of(), check());
    }

    @Test
    void openModesAreReported() throws Exception {
        write(closedOneShot("fine"));
        Path loose = sessions.resolve("loose.json");
        Files.write(loose, JSON.writeValueAsBytes(closedOneShot("loose")));
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(slots, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> found = check();
        assertEquals(2, found.size(), found::toString);
        assertTrue(found.get(0).contains(".acpx/sessions/loose.json") && found.get(0).contains("0644"), found::toString);
        assertTrue(found.get(1).contains(".acpx/slots") && found.get(1).contains("0755"), found::toString);
    }

    @Test
    void slotNoteOfDeadHolderIsFineWhileTheLockIsFree() throws Exception {
        Path lock = slots.resolve("slot-0.lock");
        Files.createFile(lock, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        writeNote(0, deadPid());
        assertEquals(List.of(), check());
    }

    @Test
    void slotNoteOfDeadHolderWhileAnotherHoldsTheLockIsReported() throws Exception {
        Path lock = slots.resolve("slot-1.lock");
        Files.createFile(lock, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        long dead = deadPid();
        writeNote(1, dead);
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            assertOne(check(), "slot slot-1.json", "dead holder pid " + dead, "session s-1",
                    "pid " + ProcessHandle.current().pid() + " holds slot-1.lock");
            writeNote(1, ProcessHandle.current().pid()); // the note now names the live holder
            assertEquals(List.of(), check());
        }
    }

    private void writeNote(int i, long pid) throws IOException {
        ObjectNode note = JSON.createObjectNode();
        note.put("session_id", "s-" + i);
        note.put("description", "node agent.mjs in /tmp/x");
        note.put("pid", pid);
        note.putNull("process_started_at");
        note.put("since", Instant.now().toString());
        Path f = slots.resolve("slot-" + i + ".json");
        Files.write(f, JSON.writeValueAsBytes(note));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }
}
