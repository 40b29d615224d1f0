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
 * then after a grace SIGKILL, to every process group still registered and to every process that carries
 * one of their tokens in its environment (daemons that left the group; when this JVM dies, what it had
 * adopted as a subreaper is re-parented again and only the token still names it). On an orderly shutdown
 * it is told {@code exit} and kills nothing.
 *
 * <p>Protocol, one line each: {@code add <pgid> <token>}, {@code del <pgid>}, {@code exit}. It runs in its
 * own session and ignores INT/TERM/HUP so that Ctrl+C on the terminal or a hang-up does not take it down
 * first. Token holders are found with {@code grep -z} over /proc/PID/environ; without grep only the groups
 * are ended.
 */
final class Watchdog {

    // The read loop uses only dash builtins (no forks per line). Trees are "pgid/token" words.
    private static final String SCRIPT = """
            trap '' INT TERM HUP PIPE
            ticks=$1
            trees=' '
            drop() { rest=' '; for t in $trees; do [ "${t%%/*}" = "$1" ] || rest="$rest$t "; done; trees=$rest; }
            while IFS=' ' read -r cmd pgid token; do
              case $cmd in
                add) drop "$pgid"; trees="$trees$pgid/$token " ;;
                del) drop "$pgid" ;;
                exit) exit 0 ;;
              esac
            done
            [ "$trees" = ' ' ] && exit 0
            holders() {
              set --
              for t in $trees; do set -- "$@" -e "ACPX_SESSION_TOKEN=${t#*/}"; done
              for f in $(grep -slzxF "$@" /proc/[0-9]*/environ); do f=${f#/proc/}; echo "${f%/environ}"; done
            }
            signal() {
              for t in $trees; do kill -$1 -${t%%/*} 2>/dev/null; done
              for p in $(holders); do kill -$1 $p 2>/dev/null; done
            }
            signal TERM
            i=0
            while [ "$i" -lt "$ticks" ]; do
              alive=
              for t in $trees; do kill -0 -${t%%/*} 2>/dev/null && alive=1; done
              [ -z "$alive" ] && [ -z "$(holders)" ] && exit 0
              sleep 0.1
              i=$((i + 1))
            done
            signal KILL
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

    static String add(long pgid, String token) {
        return "add " + pgid + " " + token;
    }

    static String del(long pgid) {
        return "del " + pgid;
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
