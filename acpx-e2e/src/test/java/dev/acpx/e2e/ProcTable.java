package dev.acpx.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The process table and the kernel's lock table, read straight from /proc, so that the invariant
 * checker does not lean on the JDK's or acpx-core's view of liveness (the thing under test).
 */
final class ProcTable {
    /** USER_HZ: the unit of /proc/[pid]/stat start times; 100 on every Linux ABI the JDK runs on. */
    private static final long TICKS_PER_SECOND = 100;

    private final Path proc;
    private final long bootEpochSecond;

    ProcTable() {
        this(Path.of("/proc"));
    }

    ProcTable(Path proc) {
        this.proc = proc;
        this.bootEpochSecond = readBootTime(proc);
    }

    /** A live (not zombie) process: its pid, start instant and command line. */
    record Proc(long pid, Instant startedAt, String cmdline) {}

    /** The process {@code pid} if it exists and has not exited (a zombie has exited). */
    Optional<Proc> live(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        Path dir = proc.resolve(Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            // The command name may contain spaces and parentheses: fields start after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) {
                return Optional.empty();
            }
            long ticks = Long.parseLong(fields[19]); // field 22 of stat(5), 3 is fields[0]
            long millis = bootEpochSecond * 1000 + ticks * 1000 / TICKS_PER_SECOND;
            return Optional.of(new Proc(pid, Instant.ofEpochMilli(millis), cmdline(dir)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no such process, or it ended while we read
        }
    }

    /** Every live process whose environment holds {@code ACPX_TEST_MARKER=<marker>}, except this one. */
    List<Proc> withMarker(String marker) {
        byte[] needle = ("ACPX_TEST_MARKER=" + marker).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<Proc> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path dir : dirs) {
                long pid;
                try {
                    pid = Long.parseLong(dir.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == self || !environHas(dir, needle)) {
                    continue;
                }
                live(pid).ifPresent(found::add);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc + ": " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * The pids holding a lock on the file with this device and inode, from /proc/locks (POSIX,
     * FLOCK and OFD locks alike; an OFD lock reports pid -1). Waiters ("->" lines) do not count.
     */
    List<Long> lockHolders(long device, long inode) {
        List<Long> holders = new ArrayList<>();
        String want = String.format("%02x:%02x:%d", major(device), minor(device), inode);
        try {
            for (String line : Files.readAllLines(proc.resolve("locks"), StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                // "1: POSIX  ADVISORY  WRITE 28667 fe:00:2155634 0 EOF"
                if (f.length >= 6 && !f[1].equals("->") && f[5].equals(want)) {
                    holders.add(Long.parseLong(f[4]));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + proc.resolve("locks") + ": " + e.getMessage(), e);
        }
        return holders;
    }

    // Linux dev_t encoding (glibc gnu_dev_major/minor).
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }

    private static boolean environHas(Path dir, byte[] needle) {
        byte[] env;
        try {
            env = Files.readAllBytes(dir.resolve("environ"));
        } catch (IOException e) {
            return false;
        }
        // Entries are NUL-separated; match a whole entry so "m1" does not match "m10".
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == needle.length && java.util.Arrays.equals(env, start, i, needle, 0, needle.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static String cmdline(Path dir) throws IOException {
        return new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
    }

    private static long readBootTime(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("stat"), StandardCharsets.UTF_8)) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + proc.resolve("stat") + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException(proc.resolve("stat") + " has no btime line; is /proc a Linux procfs?");
    }
}
