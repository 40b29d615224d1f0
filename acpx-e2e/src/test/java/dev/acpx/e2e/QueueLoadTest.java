package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load through the real CLI and queue owner with the built-in demo agent: many concurrent callers
 * on one session, and many sessions at once. Nothing is lost (each caller gets its own answer and
 * the history holds every turn, prompt and answer paired), order holds per session, and the owner's
 * memory stays bounded. CI runs the small form; {@code -Dacpx.load.full=true} (bin/load-full) runs
 * 200 callers and 50 sessions.
 */
@Timeout(900)
class QueueLoadTest {
    static final boolean FULL = Boolean.getBoolean("acpx.load.full");
    static final int CALLERS = Integer.getInteger("acpx.load.callers", FULL ? 200 : 40);
    static final int SESSIONS = Integer.getInteger("acpx.load.sessions", FULL ? 50 : 6);
    static final int TURNS_PER_SESSION = 3;
    static final long MAX_OWNER_RSS_KB = 400 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    Acpx acpx;

    @BeforeEach
    void home() throws IOException {
        acpx = new Acpx(root);
        // Private, as acpx itself creates them (the invariant checker insists).
        Path dir = Files.createDirectories(acpx.home.resolve(".acpx"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path config = Files.writeString(dir.resolve("config.json"), "{\"queueMaxDepth\": 256}");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), Procs.awaitNone(acpx.marker, 10_000), "processes left behind");
        assertEquals(List.of(), Invariants.violations(acpx.home, acpx.marker), "SPEC §9 invariants");
    }

    private Acpx.Result ok(String... args) throws Exception {
        Acpx.Result r = acpx.run(null, Duration.ofSeconds(600), args);
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    @Test
    void manyCallersOnOneSessionEachGetTheirOwnAnswer() throws Exception {
        Acpx.assumeOwnProcesses("the RSS of the session's own queue owner process");
        ok("demo", "sessions", "new");
        try {
            runCallers();
        } finally {
            acpx.run(null, Duration.ofSeconds(120), "demo", "sessions", "close");
        }
    }

    private void runCallers() throws Exception {
        OwnerWatch watch = new OwnerWatch();
        long start = System.nanoTime();
        List<Process> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            callers.add(acpx.start(null, "--approve-all", "--format", "quiet", "demo", "prompt", "echo caller-" + i));
        }
        for (int i = 0; i < CALLERS; i++) {
            Process p = callers.get(i);
            assertTrue(p.waitFor(600, TimeUnit.SECONDS), "caller " + i + " finished");
            String out = acpx.read(p, "out");
            assertEquals(0, p.exitValue(), "caller " + i + ": " + out + acpx.read(p, "err"));
            assertTrue(out.contains("You said: echo caller-" + i + "\n"), "caller " + i + " got its answer: " + out);
            assertEquals(1, out.split("You said: ", -1).length - 1, "only its own answer: " + out);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        watch.stop();

        List<String> asked = checkedHistory(null, CALLERS);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < CALLERS; i++) {
            expected.add("echo caller-" + i);
        }
        assertEquals(expected, new HashSet<>(asked), "every prompt in the history once");
        assertTrue(watch.peakKb() > 0, "the owner's RSS was sampled");
        assertTrue(watch.peakKb() < MAX_OWNER_RSS_KB, "owner peak RSS " + watch.peakKb() / 1024 + " MB");
        System.out.printf("[load] %d callers on one session: %d ms, %.1f turns/s, owner peak RSS %d MB%n",
                CALLERS, millis, CALLERS * 1000.0 / millis, watch.peakKb() / 1024);
    }

    @Test
    void manySessionsAtOnceKeepTheirOrder() throws Exception {
        for (int s = 0; s < SESSIONS; s++) {
            ok("demo", "sessions", "new", "--name", "s" + s);
        }
        try {
            runSessions();
        } finally {
            // Also on failure: persistent owners would otherwise live out their TTL.
            for (int s = 0; s < SESSIONS; s++) {
                acpx.run(null, Duration.ofSeconds(120), "demo", "sessions", "close", "s" + s);
            }
        }
    }

    private void runSessions() throws Exception {
        OwnerWatch watch = new OwnerWatch();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> runs = new ArrayList<>();
        // Each session's turns but the last are queued with --no-wait, one right after the other, so a
        // turn arrives while the ones before it may still wait or run: the history's order is the
        // queue's doing, not the test's. Arrival order is known (each call returns once its turn is
        // queued). The last call waits for its own turn; under FIFO every earlier turn is done by then,
        // and the history check below finds any that is not. Every session's owner works at once.
        for (int s = 0; s < SESSIONS; s++) {
            String name = "s" + s;
            runs.add(pool.submit(() -> {
                for (int t = 0; t < TURNS_PER_SESSION; t++) {
                    boolean last = t == TURNS_PER_SESSION - 1;
                    List<String> args = new ArrayList<>(List.of("--approve-all", "--format", "quiet", "demo",
                            "prompt", "-s", name));
                    if (!last) {
                        args.add("--no-wait");
                    }
                    args.add("echo " + name + "-turn-" + t);
                    Acpx.Result r = ok(args.toArray(String[]::new));
                    if (last) {
                        assertTrue(r.out().contains("You said: echo " + name + "-turn-" + t + "\n"), r.toString());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : runs) {
            f.get(600, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        watch.stop();
        for (int s = 0; s < SESSIONS; s++) {
            List<String> asked = checkedHistory("s" + s, TURNS_PER_SESSION);
            List<String> inOrder = new ArrayList<>();
            for (int t = 0; t < TURNS_PER_SESSION; t++) {
                inOrder.add("echo s" + s + "-turn-" + t);
            }
            assertEquals(inOrder, asked, "session s" + s + " history in order");
        }
        assertTrue(watch.peakKb() < MAX_OWNER_RSS_KB, "largest owner peak RSS " + watch.peakKb() / 1024 + " MB");
        System.out.printf("[load] %d sessions x %d turns at once: %d ms, largest owner peak RSS %d MB%n",
                SESSIONS, TURNS_PER_SESSION, millis, watch.peakKb() / 1024);
    }

    /** The session's history: user and assistant alternate, each answer echoes its prompt; returns the prompts. */
    private List<String> checkedHistory(String name, int turns) throws Exception {
        List<String> args = new ArrayList<>(List.of("--format", "json", "demo", "sessions", "history"));
        if (name != null) {
            args.add(name);
        }
        args.addAll(List.of("--limit", Integer.toString(turns * 2 + 10)));
        JsonNode history = JSON.readTree(ok(args.toArray(String[]::new)).out()).path("entries");
        assertEquals(turns * 2, history.size(), "two entries per turn: " + history);
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < history.size(); i += 2) {
            assertEquals("user", history.get(i).path("role").asText());
            assertEquals("assistant", history.get(i + 1).path("role").asText());
            String prompt = history.get(i).path("textPreview").asText();
            assertTrue(history.get(i + 1).path("textPreview").asText().startsWith("You said: " + prompt + "\n"),
                    "answer " + (i / 2) + " belongs to its prompt: " + history.get(i) + " / " + history.get(i + 1));
            asked.add(prompt);
        }
        return asked;
    }

    /** Samples the VmHWM of every queue owner carrying the test marker, every 100 ms. */
    private final class OwnerWatch {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = Thread.ofPlatform().daemon().start(this::loop);

        private void loop() {
            while (running.get()) {
                for (String proc : Procs.withMarker(acpx.marker)) {
                    if (proc.contains("OwnerMain")) {
                        long pid = Long.parseLong(proc.substring(0, proc.indexOf(' ')));
                        peak.accumulateAndGet(hwm(pid), Math::max);
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        long peakKb() {
            return peak.get();
        }
    }

    private static long hwm(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return 0;
    }
}
