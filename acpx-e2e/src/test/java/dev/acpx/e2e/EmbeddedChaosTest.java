package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.Session;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.SessionStatus;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §9/§10 under fire: 50 one-shot sessions x 20 turns through one runtime with a host-wide limit
 * of 8, while a chaos thread SIGKILLs random agents and cancels random turns. Every turn must end
 * with a stop reason or an AcpxException (never a hang), the limit must never be exceeded, and at
 * the end no process and no open one-shot record may be left.
 */
class EmbeddedChaosTest {
    static final int SESSIONS = 50;
    static final int TURNS = 20;
    static final int LIMIT = 8;

    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void fiftySessionsUnderALimitOfEightSurviveKillsAndCancels() throws Exception {
        Acpx acpx = new Acpx(tmp);
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        AtomicInteger kills = new AtomicInteger();
        AtomicInteger cancels = new AtomicInteger();
        AtomicInteger maxSlots = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        long t0 = System.nanoTime();
        try (AcpxRuntime rt = EmbeddedHost.runtime(acpx).maxConcurrentSessions(LIMIT)
                .slotWait(Duration.ofSeconds(150)).build()) {
            AgentRef agent = EmbeddedHost.mockAgent(rt, acpx);
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!stop.get()) {
                    int slots = rt.slotsInUse();
                    int open = rt.sessions().size();
                    maxSlots.accumulateAndGet(slots, Math::max);
                    maxOpen.accumulateAndGet(open, Math::max);
                    if (slots > LIMIT || open > LIMIT) {
                        violation.compareAndSet(null, slots + " slots held, " + open + " sessions open");
                    }
                    EmbeddedRuntimeTest.sleep(3);
                }
            });
            Thread chaos = Thread.ofPlatform().daemon().start(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!stop.get()) {
                    EmbeddedRuntimeTest.sleep(rnd.nextInt(40, 120));
                    List<Session> open = rt.sessions();
                    if (open.isEmpty()) {
                        continue;
                    }
                    Session victim = open.get(rnd.nextInt(open.size()));
                    SessionStatus st = victim.status();
                    if (rnd.nextBoolean() && st.agentPid() != null) {
                        ProcessHandle.of(st.agentPid()).ifPresent(p -> {
                            if (p.destroyForcibly()) { // SIGKILL
                                kills.incrementAndGet();
                            }
                        });
                    } else if (victim.cancel()) {
                        cancels.incrementAndGet();
                    }
                }
            });
            List<Future<?>> workers = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < SESSIONS; i++) {
                    int n = i;
                    workers.add(pool.submit(() -> {
                        try (Session s = rt.open(SessionOptions.oneShot(agent, acpx.cwd)
                                .withTurnTimeout(Duration.ofSeconds(20)))) {
                            for (int t = 0; t < TURNS; t++) {
                                String prompt = t % 4 == 3 ? "slow 150" : "echo s" + n + " t" + t;
                                AtomicReference<TurnEvent> last = new AtomicReference<>();
                                try {
                                    TurnResult r = s.prompt(prompt, last::set);
                                    if (!(last.get() instanceof TurnEvent.Done d) || !d.stopReason().equals(r.stopReason())) {
                                        violation.compareAndSet(null, "turn ended without its Done event: " + last.get());
                                    }
                                    ended.incrementAndGet();
                                    if (r.stopReason().isCancelled()) {
                                        cancelled.incrementAndGet();
                                    }
                                } catch (AcpxException e) {
                                    errors.computeIfAbsent(e.kind() + ": " + e.getMessage().replaceAll("[0-9]+", "N")
                                            .replaceAll("; its last stderr line.*", ""), k -> new AtomicInteger())
                                            .incrementAndGet();
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get(150, TimeUnit.SECONDS); // a hang fails here
                }
            }
            stop.set(true);
            sampler.join();
            chaos.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int errorCount = errors.values().stream().mapToInt(AtomicInteger::get).sum();
        System.err.printf("chaos: %d turns ended (%d cancelled), %d errors, %d kills, %d cancels, max %d slots / %d open,"
                        + " %.1f s%n  errors: %s%n", ended.get(), cancelled.get(), errorCount, kills.get(), cancels.get(),
                maxSlots.get(), maxOpen.get(), seconds, errors);
        assertEquals(null, violation.get());
        assertEquals(SESSIONS * TURNS, ended.get() + errorCount, "every turn ends with a stop reason or an error");
        assertTrue(maxSlots.get() <= LIMIT && maxSlots.get() >= 2, "max slots " + maxSlots.get());
        assertTrue(kills.get() > 0 && cancels.get() > 0, "the chaos thread did nothing");
        assertTrue(errors.keySet().stream().allMatch(k -> k.startsWith("RUNTIME") || k.startsWith("TIMEOUT")),
                errors::toString);
        assertEquals(List.of(), EmbeddedHost.descendantsLeft(acpx, Duration.ofSeconds(5)), "processes left behind");
        assertEquals(List.of(), EmbeddedHost.openOneShotRecords(acpx.home), "one-shot records left open");
        assertEquals(SESSIONS, EmbeddedHost.count(acpx.home, "oneshot"));
    }
}
