package dev.acpx.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An independent check of the SPEC §9 lifecycle guarantees on a finished test's HOME: reads the
 * session records with plain Jackson and the process table from /proc (not acpx-core, which is
 * what is being checked) and returns one line per violation, naming the record, pid or file.
 * Meant to run when nothing should be in flight: after a case, or after a soak iteration.
 */
final class Invariants {
    /** Two readings of one process's start time may differ this much (10 ms ticks, boot time rounding). */
    static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private Invariants() {}

    /** Everything wrong with {@code home}'s ~/.acpx and the processes carrying {@code marker}; empty = fine. */
    static List<String> violations(Path home, String marker) {
        return violations(home, marker, new ProcTable());
    }

    static List<String> violations(Path home, String marker, ProcTable procs) {
        Path acpx = home.resolve(".acpx");
        List<String> out = new ArrayList<>();
        checkRecords(acpx.resolve("sessions"), procs, out);
        checkSlots(acpx.resolve("slots"), procs, out);
        checkModes(acpx, out);
        for (ProcTable.Proc p : procs.withMarker(marker)) {
            out.add("leaked process: pid " + p.pid() + " still running with the test marker: " + p.cmdline());
        }
        return out;
    }

    // --- session records ------------------------------------------------------------------------

    private static void checkRecords(Path sessions, ProcTable procs, List<String> out) {
        for (Path file : list(sessions, "*.json", out)) {
            JsonNode r;
            try {
                r = JSON.readTree(file.toFile());
            } catch (IOException e) {
                out.add("record " + file.getFileName() + ": unreadable or torn JSON: " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            if (r == null || !r.isObject()) {
                out.add("record " + file.getFileName() + ": not a JSON object");
                continue;
            }
            String id = "record " + r.path("acpx_record_id").asText(file.getFileName().toString());
            boolean closed = r.path("closed").asBoolean(false);
            boolean anyAlive = false;
            for (String[] claim : new String[][] {{"pid", "agent_pid_started_at"}, {"owner_pid", "owner_started_at"}}) {
                Long pid = longOrNull(r.get(claim[0]));
                if (pid == null) {
                    continue;
                }
                if (closed) {
                    out.add(id + ": closed but still names " + claim[0] + " " + pid);
                }
                Optional<String> dead = deadReason(pid, r.get(claim[1]), claim[1], procs);
                if (dead.isPresent()) {
                    out.add(id + ": claims " + claim[0] + " " + pid + " but " + dead.get());
                } else {
                    anyAlive = true;
                }
            }
            boolean oneShot = "oneshot".equals(r.path("mode").asText(null));
            if (oneShot && !anyAlive) {
                List<String> missing = new ArrayList<>();
                if (!closed) {
                    missing.add("closed: true");
                }
                if (!r.path("closed_at").isTextual() || r.path("closed_at").asText().isEmpty()) {
                    missing.add("closed_at");
                }
                if (!r.path("closed_reason").isTextual() || r.path("closed_reason").asText().isBlank()) {
                    missing.add("closed_reason");
                }
                if (!missing.isEmpty()) {
                    out.add(id + ": one-shot record with no live process lacks " + String.join(", ", missing));
                }
            }
        }
    }

    /** Why {@code pid} is not the process the record means, or empty when it is alive and matches. */
    private static Optional<String> deadReason(long pid, JsonNode startedNode, String startKey, ProcTable procs) {
        Optional<ProcTable.Proc> p = procs.live(pid);
        if (p.isEmpty()) {
            return Optional.of("no such live process");
        }
        if (startedNode == null || startedNode.isNull()) {
            return Optional.empty();
        }
        Instant recorded = instantOrNull(startedNode);
        if (recorded == null) {
            return Optional.of(startKey + " is not a time: " + startedNode);
        }
        Duration off = Duration.between(recorded, p.get().startedAt()).abs();
        if (off.compareTo(START_TOLERANCE) > 0) {
            return Optional.of("pid " + pid + " is another process (started " + p.get().startedAt() + ", "
                    + startKey + " says " + recorded + "): " + p.get().cmdline());
        }
        return Optional.empty();
    }

    // --- slot locks -------------------------------------------------------------------------------

    /**
     * A sidecar whose holder is dead is fine while its lock is free (nobody removed the note yet);
     * it is an inconsistency only when a live process holds the lock under the dead holder's name.
     */
    private static void checkSlots(Path slots, ProcTable procs, List<String> out) {
        for (Path sidecar : list(slots, "slot-*.json", out)) {
            String name = sidecar.getFileName().toString();
            Path lock = sidecar.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".lock");
            JsonNode note;
            try {
                note = JSON.readTree(sidecar.toFile());
            } catch (IOException e) {
                continue; // a note being replaced; the lock is the truth and notes are advisory
            }
            long holder = note == null ? -1 : note.path("pid").asLong(-1);
            if (holder > 0 && deadReason(holder, note.get("process_started_at"), "process_started_at", procs).isEmpty()) {
                continue;
            }
            for (long by : lockHoldersOf(lock, procs)) {
                if (by != holder) {
                    String who = procs.live(by).map(ProcTable.Proc::cmdline).orElse("pid unknown");
                    out.add("slot " + name + ": names dead holder pid " + holder + " (session "
                            + (note == null ? "?" : note.path("session_id").asText("?")) + ") while pid " + by
                            + " holds " + lock.getFileName() + ": " + who);
                }
            }
        }
    }

    private static List<Long> lockHoldersOf(Path lock, ProcTable procs) {
        try {
            long dev = ((Number) Files.getAttribute(lock, "unix:dev")).longValue();
            long ino = ((Number) Files.getAttribute(lock, "unix:ino")).longValue();
            return procs.lockHolders(dev, ino);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot stat " + lock + ": " + e.getMessage(), e);
        }
    }

    // --- permissions ------------------------------------------------------------------------------

    /** Directories at most 0700; regular files at most 0600; sockets and others: nothing for group/other. */
    private static void checkModes(Path acpx, List<String> out) {
        if (!Files.exists(acpx, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        TreeMap<Path, String> found = new TreeMap<>();
        try {
            Files.walkFileTree(acpx, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    check(dir, 0700);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    check(file, attrs.isRegularFile() ? 0600 : 0700);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed while we walked
                }

                private void check(Path p, int allowed) throws IOException {
                    Set<PosixFilePermission> perms;
                    try {
                        perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    } catch (NoSuchFileException gone) {
                        return;
                    }
                    if ((bits(perms) & ~allowed) != 0) {
                        found.put(p, String.format("mode %s (%04o) is more open than %04o", PosixFilePermissions.toString(perms),
                                bits(perms), allowed));
                    }
                }
            });
        } catch (IOException e) {
            out.add("cannot walk " + acpx + ": " + e.getMessage());
        }
        found.forEach((p, why) -> out.add("file " + acpx.getParent().relativize(p) + ": " + why));
    }

    static int bits(Set<PosixFilePermission> perms) {
        int b = 0;
        for (PosixFilePermission p : perms) {
            b |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 = 0400, ... OTHERS_EXECUTE = 0001
        }
        return b;
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static List<Path> list(Path dir, String glob, List<String> out) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(p -> {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                }
            });
        } catch (NoSuchFileException e) {
            return files;
        } catch (IOException e) {
            out.add("cannot list " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        return files;
    }

    private static Long longOrNull(JsonNode n) {
        return n != null && n.isIntegralNumber() ? n.longValue() : null;
    }

    /** An ISO-8601 instant, or epoch milliseconds; null when neither. */
    private static Instant instantOrNull(JsonNode n) {
        if (n.isIntegralNumber()) {
            return Instant.ofEpochMilli(n.longValue());
        }
        try {
            return n.isTextual() ? Instant.parse(n.textValue()) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
