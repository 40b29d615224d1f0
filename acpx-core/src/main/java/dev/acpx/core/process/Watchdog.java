package dev.acpx.core.process;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tiny {@code sh} process that outlives this JVM only to clean up after it. Its stdin is a pipe whose
 * write end only this JVM holds (the JDK closes every other descriptor in the children it starts), so the
 * kernel hands it EOF the moment this JVM dies, however it dies, SIGKILL included. At EOF it sends SIGTERM,
 * then after a grace SIGKILL, to every process group still registered. On an orderly shutdown it is told
 * {@code exit} and kills nothing.
 *
 * <p>Protocol, one line each: {@code add <pgid>}, {@code del <pgid>}, {@code exit}. It runs in its own
 * session and ignores INT/TERM/HUP so that Ctrl+C on the terminal or a hang-up does not take it down first.
 */
final class Watchdog {

    // Uses only dash builtins in the loop (no forks per line); kill -0 -G probes whether a group exists.
    private static final String SCRIPT = """
            trap '' INT TERM HUP PIPE
            ticks=$1
            groups=' '
            drop() { case "$groups" in *" $1 "*) groups="${groups%% $1 *} ${groups#* $1 }";; esac; }
            while IFS=' ' read -r cmd arg; do
              case $cmd in
                add) drop "$arg"; groups="$groups$arg " ;;
                del) drop "$arg" ;;
                exit) exit 0 ;;
              esac
            done
            [ "$groups" = ' ' ] && exit 0
            for g in $groups; do kill -TERM -$g 2>/dev/null; done
            i=0
            while [ "$i" -lt "$ticks" ]; do
              alive=
              for g in $groups; do kill -0 -$g 2>/dev/null && alive=1; done
              [ -z "$alive" ] && exit 0
              sleep 0.1
              i=$((i + 1))
            done
            for g in $groups; do kill -KILL -$g 2>/dev/null; done
            """;

    private final Process process;
    private final OutputStream commands;

    private Watchdog(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
    }

    static Watchdog start(String setsid, Duration grace) throws IOException {
        long ticks = Math.max(1, (grace.toMillis() + 99) / 100);
        ProcessBuilder pb = new ProcessBuilder(List.of(setsid, "/bin/sh", "-c", SCRIPT, "acpx-watchdog",
                Long.toString(ticks)));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.directory(new File("/"));
        return new Watchdog(pb.start());
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends one command; false when the watchdog is gone (the caller restarts it). */
    synchronized boolean send(String command) {
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Orderly stop: the watchdog exits without signalling anything. */
    void stop() {
        send("exit");
        try {
            commands.close();
        } catch (IOException ignored) {
            // Already gone: nothing to tell it.
        }
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
