package dev.acpx.core.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the kernel tells about bound abstract Unix socket names, read from {@code /proc/net/unix}
 * (no native call needed): which names under a prefix are bound, and which process of this user holds
 * one. Used to name the holders of slots whose notes on disk were removed.
 */
public final class AbstractNames {
    private AbstractNames() {}

    /** The bound names that start with {@code prefix} (without the leading NUL), each with its socket inode. */
    public static TreeMap<String, Long> bound(String prefix) {
        TreeMap<String, Long> names = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/net/unix"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return names;
        }
        // "Num RefCount Protocol Flags Type St Inode Path"; abstract paths are shown with a leading '@'.
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+", 8);
            if (fields.length == 8 && fields[7].startsWith("@" + prefix)) {
                try {
                    names.put(fields[7].substring(1), Long.parseLong(fields[6]));
                } catch (NumberFormatException ignored) {
                    // the header line, or a format this reader does not know
                }
            }
        }
        return names;
    }

    /** The process of this user holding socket {@code inode}, found through /proc/PID/fd; empty if none. */
    public static OptionalLong holderOf(long inode) {
        String target = "socket:[" + inode + "]";
        Object uid = uid(Path.of("/proc/self"));
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (uid == null || !uid.equals(uid(proc))) {
                    continue;
                }
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (target.equals(readLink(fd))) {
                            return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                        }
                    }
                } catch (IOException | NumberFormatException gone) {
                    // exited or not ours to read
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** Bound names under {@code prefix} as a set (for callers that only count). */
    public static TreeSet<String> boundNames(String prefix) {
        return new TreeSet<>(bound(prefix).keySet());
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static Object uid(Path procDir) {
        try {
            return Files.getAttribute(procDir, "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
