package dev.acpx.core.process;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Run in a separate JVM by {@link JvmDeathTest}: starts a tree (one member in its own session, out of the
 * group's reach), prints its pids and the watchdog's, then waits to be killed.
 */
public final class WatchdogProbe {

    private WatchdogProbe() {
    }

    public static void main(String[] args) throws Exception {
        ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofMillis(500));
        ManagedProcess p = supervisor.start(ProcessSpec.of(List.of("sh", "-c",
                "sleep 1000 & a=$!; sh -c \"trap '' TERM; while :; do sleep 0.1; done\" & b=$!; "
                        + "setsid sleep 1000 </dev/null >/dev/null 2>&1 & c=$!; echo $$ $a $b $c; wait"),
                Path.of(args.length > 0 ? args[0] : ".")));
        String pids = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine();
        System.out.println(pids + " " + supervisor.watchdogPid().orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
