package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A caller process: finds or starts the owner of a session and runs one prompt through it.
 * Args: acpx home, record id, prompt, run log, turn ms, TTL ms, and optionally a start file: then it
 * prints "READY" once its JVM is up and races only when that file exists, so that callers started
 * one by one on a loaded host still race at one moment. Prints "OK stopReason text" or "FAIL message".
 */
public final class RaceCallerMain {

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        String record = args[1];
        String prompt = args[2];
        QueuePaths paths = new QueuePaths(home);
        OwnerLaunch launch = new OwnerLaunch(home, record, OwnerSettings.of(32, Duration.ofMillis(Long.parseLong(args[5]))));
        DetachedSpawner spawner = new DetachedSpawner(paths, id -> ownerArgv(args[3], args[4], launch));
        if (args.length > 6) {
            awaitStart(Path.of(args[6]));
        }
        try {
            StringBuilder text = new StringBuilder();
            TurnResult result = new OwnerLauncher(paths, new ObjectMapper(), java.time.Clock.systemUTC()).submit(record, spawner,
                    Duration.ofSeconds(120), OwnerClient.newRequestId(), TurnRequest.of(prompt), false, event -> {
                        if (event instanceof TurnEvent.AgentText t) {
                            text.append(text.isEmpty() ? "" : " ").append(t.text());
                        }
                    });
            System.out.println("OK " + result.stopReason() + " " + text);
            System.exit(0);
        } catch (RuntimeException e) {
            System.out.println("FAIL " + e.getMessage());
            System.exit(1);
        }
    }

    private static void awaitStart(Path go) {
        System.out.println("READY");
        System.out.flush();
        long end = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (!java.nio.file.Files.exists(go)) {
            if (System.nanoTime() > end) {
                System.out.println("FAIL no start signal");
                System.exit(1);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                System.exit(1);
            }
        }
    }

    static List<String> ownerArgv(String runLog, String turnMillis, OwnerLaunch launch) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                FakeOwnerMain.class.getName(), runLog, turnMillis));
        argv.addAll(launch.toArgs());
        return argv;
    }
}
