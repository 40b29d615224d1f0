package dev.acpx.core.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Low-level helpers for process groups and liveness on Linux. */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Alive and not a zombie. The JDK counts a zombie (exited, not yet reaped by its parent) as alive, but a
     * zombie runs no code and holds nothing but its pid; in containers whose init reaps lazily, waiting for
     * the reaping would make every termination slow. The JDK has no API for the state, so /proc tells it.
     */
    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        Stat stat = stat(handle.pid());
        return stat != null ? stat.running() : handle.isAlive();
    }

    /** The fields of /proc/PID/stat this package needs. */
    record Stat(long pid, char state, long ppid, long pgid) {
        boolean running() {
            return state != 'Z' && state != 'X';
        }

        boolean zombie() {
            return state == 'Z';
        }
    }

    /** Reads /proc/PID/stat; null when the process is gone. */
    static Stat stat(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
        // Format: "pid (comm) S ppid pgrp ..."; comm may hold spaces and parentheses, so cut at the last ')'.
        int close = text.lastIndexOf(')');
        if (close < 0 || close + 2 >= text.length()) {
            return null;
        }
        String[] fields = text.substring(close + 2).split(" ", 4);
        if (fields.length < 3) {
            return null;
        }
        try {
            return new Stat(pid, fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The running members of process group {@code pgid}. The JDK cannot list a group, and a group can hold
     * processes that are no longer descendants of its leader (orphans re-parented to init after the leader
     * died, or double-forked daemons), so the members are found by reading /proc (Linux only, as is acpx).
     */
    static List<ProcessHandle> groupMembers(long pgid) {
        List<ProcessHandle> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name);
                } catch (NumberFormatException e) {
                    continue;
                }
                Stat stat = stat(pid);
                if (stat != null && stat.pgid() == pgid && stat.running()) {
                    ProcessHandle.of(pid).ifPresent(members::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc to find the members of process group " + pgid
                    + ": " + e.getMessage(), e);
        }
        return members;
    }

    /**
     * The running processes of this user whose environment holds {@code variable=value} (the token
     * {@link ProcessSupervisor} gives each tree). This finds what left the process group and the
     * descendant chain (setsid, double fork), as long as it kept its environment. /proc/PID/environ
     * is the environment the process was started with; other users' processes are skipped unread.
     */
    static List<ProcessHandle> withEnvironmentEntry(String variable, String value) {
        byte[] entry = (variable + "=" + value).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        Object uid = ownerUid(Path.of("/proc/self"));
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path dir : entries) {
                long pid = pidOf(dir);
                if (pid <= 1 || pid == self || uid == null || !uid.equals(ownerUid(dir))) {
                    continue;
                }
                byte[] environ;
                try {
                    environ = Files.readAllBytes(dir.resolve("environ"));
                } catch (IOException gone) {
                    continue;
                }
                if (holdsEntry(environ, entry)) {
                    Stat stat = stat(pid);
                    if (stat != null && stat.running()) {
                        ProcessHandle.of(pid).ifPresent(found::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc to find processes by environment: " + e.getMessage(), e);
        }
        return found;
    }

    /** True when the NUL-separated {@code environ} has exactly {@code entry} as one of its entries. */
    static boolean holdsEntry(byte[] environ, byte[] entry) {
        int start = 0;
        while (start < environ.length) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start == entry.length && java.util.Arrays.equals(environ, start, end, entry, 0, entry.length)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** This process's children (adopted ones included), from the kernel's per-thread lists. */
    static List<Long> childrenOfSelf() {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String text;
                try {
                    text = Files.readString(task.resolve("children"), StandardCharsets.ISO_8859_1);
                } catch (IOException threadGone) {
                    continue;
                }
                for (String pid : text.trim().split(" +")) {
                    if (!pid.isEmpty()) {
                        children.add(Long.parseLong(pid));
                    }
                }
            }
            return children;
        } catch (IOException | NumberFormatException e) {
            // Kernels built without CONFIG_PROC_CHILDREN: scan the whole table instead.
            long self = ProcessHandle.current().pid();
            children.clear();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
                for (Path dir : entries) {
                    long pid = pidOf(dir);
                    Stat stat = pid > 0 ? stat(pid) : null;
                    if (stat != null && stat.ppid() == self) {
                        children.add(pid);
                    }
                }
            } catch (IOException e2) {
                throw new UncheckedIOException("cannot list /proc: " + e2.getMessage(), e2);
            }
            return children;
        }
    }

    private static long pidOf(Path procEntry) {
        String name = procEntry.getFileName().toString();
        if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
            return -1;
        }
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Object ownerUid(Path procDir) {
        try {
            return Files.getAttribute(procDir, "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    static boolean anyRunning(Collection<ProcessHandle> handles) {
        for (ProcessHandle h : handles) {
            if (isRunning(h)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Polls until none of {@code handles} runs or the deadline passes; true when all are gone. Not
     * interruptible, because it serves cleanup that must finish; a pending interrupt is kept for the caller.
     */
    static boolean awaitGone(Collection<ProcessHandle> handles, long deadlineNanos) {
        long pause = 1;
        boolean interrupted = false;
        try {
            while (anyRunning(handles)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                pause = Math.min(pause * 2, 25);
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Sends {@code signal} (e.g. "TERM", "KILL", "0") to every process of group {@code pgid}, through the
     * kill(1) program because the JDK can only signal single pids. Returns true when the group existed.
     */
    static boolean signalGroup(String killProgram, long pgid, String signal) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid);
        }
        Process kill;
        try {
            kill = new ProcessBuilder(killProgram, "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + killProgram + " to signal process group "
                    + pgid + ": " + e.getMessage(), e);
        }
        // Cleanup must finish even when the caller is being interrupted; the flag is restored afterwards.
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
