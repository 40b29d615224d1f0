package dev.acpx.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.SessionInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@code sessions prune}: deletes closed records, printing what the Node acpx 0.19.1 prints. */
final class Prune {
    private final Context ctx;
    private final LocalOutput out;

    Prune(Context ctx, LocalOutput out) {
        this.ctx = ctx;
        this.out = out;
    }

    void run(AgentRef agent, boolean dryRun, String before, String olderThan, boolean includeHistory) {
        Instant cutoff = cutoff(before, olderThan);
        var rt = ctx.runtime();
        long bytes = 0;
        List<SessionInfo> pruned;
        if (dryRun) {
            pruned = rt.prune(agent, true, cutoff, includeHistory);
        } else {
            // The sizes are read before the files go: the Node acpx reports the bytes it freed.
            for (SessionInfo s : rt.prune(agent, true, cutoff, includeHistory)) {
                bytes += size(s.recordId(), includeHistory);
            }
            pruned = rt.prune(agent, false, cutoff, includeHistory);
        }
        pruned = pruned.stream().sorted(Comparator.comparing(SessionInfo::lastUsedAt,
                Comparator.nullsLast(Comparator.reverseOrder()))).toList();
        print(pruned, dryRun ? 0 : bytes, dryRun);
    }

    private void print(List<SessionInfo> pruned, long bytesFreed, boolean dryRun) {
        if (out.json()) {
            ObjectNode node = out.object().put("action", dryRun ? "sessions_prune_dry_run" : "sessions_pruned")
                    .put("dryRun", dryRun).put("count", pruned.size()).put("bytesFreed", bytesFreed);
            ArrayNode ids = node.putArray("pruned");
            pruned.forEach(s -> ids.add(s.recordId()));
            out.emit(node);
            return;
        }
        if (out.quiet()) {
            pruned.forEach(s -> out.stdout().println(s.recordId()));
            return;
        }
        if (pruned.isEmpty()) {
            out.stdout().println(dryRun ? "[DRY RUN] No sessions to prune" : "No sessions pruned");
            return;
        }
        int n = pruned.size();
        out.stdout().println((dryRun ? "[DRY RUN] Would prune" : "Pruned") + " " + n + " session" + (n == 1 ? "" : "s")
                + (!dryRun && bytesFreed > 0 ? ", freed " + formatBytes(bytesFreed) : ""));
        for (SessionInfo s : pruned) {
            var disk = out.disk(s);
            String at = LocalOutput.text(disk, "closed_at") != null ? LocalOutput.text(disk, "closed_at")
                    : LocalOutput.text(disk, "last_used_at");
            out.stdout().println("  " + s.recordId() + (s.name() == null ? "" : " (" + s.name() + ")") + "\t" + at);
        }
    }

    private long size(String id, boolean includeHistory) {
        Path dir = ctx.userHome().resolve(".acpx/sessions");
        long total = sizeOf(dir.resolve(id + ".json"));
        if (includeHistory) {
            try (Stream<Path> files = Files.list(dir)) {
                total += files.filter(f -> f.getFileName().toString().startsWith(id + ".stream"))
                        .mapToLong(Prune::sizeOf).sum();
            } catch (IOException e) {
                // nothing to count
            }
        }
        return total;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    static String formatBytes(long bytes) {
        if (bytes >= 1_073_741_824L) {
            return String.format(java.util.Locale.ROOT, "%.1f GB", bytes / 1_073_741_824.0);
        }
        if (bytes >= 1_048_576L) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_048_576.0);
        }
        if (bytes >= 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return bytes + " B";
    }

    /** The Node acpx's checks and words for --before and --older-than. */
    private Instant cutoff(String before, String olderThan) {
        if (olderThan != null) {
            long days;
            try {
                days = Long.parseLong(olderThan.trim());
            } catch (NumberFormatException e) {
                days = 0;
            }
            if (days <= 0) {
                throw AcpxException.usage("--older-than must be a positive integer number of days");
            }
            // A given --before wins, as in the Node acpx.
            if (before == null) {
                return ctx.runtime().clock().instant().minusSeconds(days * 86_400L);
            }
        }
        if (before != null) {
            try {
                return before.contains("T") ? Instant.parse(before)
                        : LocalDate.parse(before.trim()).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw AcpxException.usage("--before must be a valid date (e.g. 2026-01-01 or 2026-01-01T00:00:00Z)");
            }
        }
        return null;
    }
}
