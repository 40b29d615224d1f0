package dev.acpx.examples.host;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.Session;
import dev.acpx.api.SessionOptions;
import dev.acpx.api.TurnEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An example gateway: N prompts spread over M one-shot sessions, at most K live at once host-wide.
 * Each session runs on its own virtual thread and waits for a slot; a progress line on stderr
 * shows the live counts, and a summary goes to stdout.
 */
public final class HostExample {
    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        String agentCommand = null;
        Path home = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--agent" -> agentCommand = args[++i];
                case "--home" -> home = Path.of(args[++i]);
                default -> positional.add(args[i]);
            }
        }
        int prompts = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 200;
        int sessions = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 20;
        int limit = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 4;
        if (home == null) {
            home = Files.createTempDirectory("acpx-host-example");
        }
        Path cwd = Files.createDirectories(home.resolve("work"));

        AtomicInteger turns = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger maxSlots = new AtomicInteger();
        AtomicLong chars = new AtomicLong();
        long t0 = System.nanoTime();
        try (AcpxRuntime acpx = AcpxRuntime.builder().userHome(home).maxConcurrentSessions(limit)
                .slotWait(Duration.ofMinutes(10)).build()) {
            AgentRef agent = agentCommand == null ? acpx.resolveAgent("demo", false, cwd)
                    : acpx.resolveAgent(agentCommand, true, cwd);
            SessionOptions options = SessionOptions.oneShot(agent, cwd)
                    .withPermissions(PermissionPolicies.approveAll())
                    .withTurnTimeout(Duration.ofSeconds(60));
            Thread progress = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    int slots = acpx.slotsInUse();
                    maxSlots.accumulateAndGet(slots, Math::max);
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.err.printf("\r%5d/%d turns  %d errors  %2d open  %2d/%d slots  %6.1f turns/s ",
                            turns.get(), prompts, errors.get(), acpx.sessions().size(), slots, limit, turns.get() / s);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<Future<?>> work = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int m = 0; m < sessions; m++) {
                    int share = prompts / sessions + (m < prompts % sessions ? 1 : 0);
                    int id = m;
                    work.add(pool.submit(() -> {
                        try (Session session = acpx.open(options)) {
                            for (int t = 0; t < share; t++) {
                                try {
                                    session.prompt("hello from session " + id + ", turn " + t, event -> {
                                        if (event instanceof TurnEvent.AgentText text) {
                                            chars.addAndGet(text.text().length());
                                        }
                                    });
                                    turns.incrementAndGet();
                                } catch (AcpxException e) {
                                    errors.incrementAndGet();
                                    System.err.println("\nsession " + id + ": " + e.getMessage());
                                }
                            }
                        } catch (AcpxException e) {
                            errors.addAndGet(share);
                            System.err.println("\nsession " + id + " could not open: " + e.getMessage());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            }
            progress.interrupt();
            progress.join();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        System.err.println();
        System.out.printf("turns %d, errors %d, wall %.2f s, %.1f turns/s, max concurrent observed %d (limit %d),"
                + " %d sessions, %d chars of answers%n", turns.get(), errors.get(), wall, turns.get() / wall,
                maxSlots.get(), limit, sessions, chars.get());
        System.exit(errors.get() == 0 ? 0 : 1);
    }
}
