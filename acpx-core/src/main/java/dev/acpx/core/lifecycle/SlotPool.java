package dev.acpx.core.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.core.os.AbstractNames;
import dev.acpx.core.os.Kernel;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host-wide limit on live sessions (SPEC §9.3): slot {@code i} is held by whoever holds the
 * kernel lock on {@code slots/slot-<i>.lock}, so the count spans every process on the host and a
 * SIGKILLed holder frees its slot at once. {@code slot-<i>.json} beside it says who holds it.
 *
 * <p>Two pools in one JVM (an embedding host) share the limit through {@link HostFileLock}'s per-JVM
 * table, keyed by the lock file's real path.
 *
 * <p>Changing the limit between runs: only slots below the current max are ever taken, but slots at
 * or above it that are still held (taken under a larger max) count against the limit, so lowering
 * the max never lets more sessions run than the new max. That extra check is a probe, not a lock,
 * and so is exact only once the over-max holders are gone; with an unchanged max the locks alone
 * decide and the limit is exact.
 *
 * <p>Tamper-proof where the kernel can be reached ({@link Kernel}, JDK 22+): a slot is also an
 * abstract-namespace Unix socket name, {@code acpx/<uid>/<hash of the canonical slots path>/slot-<i>},
 * which lives outside the file system. Removing {@code slots/} (or all of {@code ~/.acpx}) while
 * sessions run deletes the lock files, and a newcomer would lock fresh ones, but it cannot bind a
 * name still bound: the limit holds. The kernel frees the name when its holder dies, like the lock.
 * A slot is taken only when both its name and its file lock are free (so builds without the names
 * still see these holders), and is held when either is. Another user could bind one of our names
 * first and so block that slot (never lift the limit); abstract names carry no permissions.
 */
public final class SlotPool {

    private static final Pattern SLOT_FILE = Pattern.compile("slot-(\\d+)\\.lock");
    private static final Duration MAX_POLL = Duration.ofMillis(100);

    private final Path slotsDir;
    private final int maxConcurrentSessions;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final Kernel kernel;
    /** Prefix of the slots' abstract socket names; null when the kernel cannot bind them. */
    private final String namePrefix;

    public SlotPool(Path slotsDir, int maxConcurrentSessions, Clock clock) {
        this(slotsDir, maxConcurrentSessions, clock, new ObjectMapper());
    }

    public SlotPool(Path slotsDir, int maxConcurrentSessions, Clock clock, ObjectMapper mapper) {
        this(slotsDir, maxConcurrentSessions, clock, mapper, Kernel.load());
    }

    /** @param kernel {@link Kernel.Unavailable} gives the file locks alone */
    public SlotPool(Path slotsDir, int maxConcurrentSessions, Clock clock, ObjectMapper mapper, Kernel kernel) {
        if (maxConcurrentSessions < 1) {
            throw new IllegalArgumentException(
                    "maxConcurrentSessions must be at least 1, got " + maxConcurrentSessions);
        }
        this.slotsDir = slotsDir.toAbsolutePath().normalize();
        this.maxConcurrentSessions = maxConcurrentSessions;
        this.clock = clock;
        this.mapper = mapper;
        this.kernel = kernel;
        createPrivateDirectory(this.slotsDir);
        this.namePrefix = kernel.available() ? namePrefix(this.slotsDir) : null;
    }

    /** True when slots are also kernel-held names, so removing the slot files cannot lift the limit. */
    public boolean tamperProof() {
        return namePrefix != null;
    }

    // The uid keeps users apart; the hash of the canonical path keeps homes (and test homes) apart
    // and is the same in every process, however the path was spelled.
    private static String namePrefix(Path slotsDir) {
        Object uid;
        String canonical;
        try {
            uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            canonical = slotsDir.toRealPath().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "acpx/" + uid + "/" + HexFormat.of().formatHex(digest, 0, 8) + "/slot-";
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
    }

    public int maxConcurrentSessions() {
        return maxConcurrentSessions;
    }

    /** Takes a free slot now, or returns empty when all are held. */
    public Optional<Slot> tryAcquire(HolderInfo who) {
        // Two passes: a concurrent liveHolders() probe holds a free slot for microseconds, which must
        // not make the pool look full.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < maxConcurrentSessions; i++) {
                Optional<Closeable> name = bindName(i);
                if (name.isEmpty()) {
                    continue;
                }
                Optional<HostFileLock> lock = HostFileLock.tryLock(lockFile(i));
                if (lock.isEmpty()) {
                    closeQuietly(name.get());
                    continue;
                }
                if (overLimitWith(i)) {
                    lock.get().close();
                    closeQuietly(name.get());
                    return Optional.empty();
                }
                return Optional.of(claim(i, who, lock.get(), name.get()));
            }
            if (pass == 0) {
                pause(Duration.ofMillis(2));
            }
        }
        return Optional.empty();
    }

    /** Waits until a slot is free or the deadline passes; then names who holds them all. */
    public Slot acquire(HolderInfo who, Duration deadline) throws InterruptedException, SlotsFullException {
        long end = System.nanoTime() + deadline.toNanos();
        long sleepMs = 10;
        while (true) {
            Optional<Slot> slot = tryAcquire(who);
            if (slot.isPresent()) {
                return slot.get();
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new SlotsFullException(maxConcurrentSessions, liveHolders());
            }
            Thread.sleep(Math.max(1, Math.min(sleepMs, left / 1_000_000)));
            sleepMs = Math.min(sleepMs * 2, MAX_POLL.toMillis());
        }
    }

    /** Everyone holding a slot now, any index, in slot order. A free slot's leftover note is ignored. */
    public List<HolderInfo> liveHolders() {
        List<HolderInfo> holders = new ArrayList<>();
        for (int i : existingSlots()) {
            if (isHeld(i)) {
                holders.add(readHolder(i));
            }
        }
        return holders;
    }

    /** Binds slot {@code i}'s name: empty when someone holds it; a no-op handle without the kernel. */
    private Optional<Closeable> bindName(int i) {
        if (namePrefix == null) {
            return Optional.of(() -> { });
        }
        try {
            return kernel.bindAbstractName(namePrefix + i);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the slot name for slot " + i + ": " + e.getMessage(), e);
        }
    }

    private boolean isHeld(int i) {
        if (namePrefix != null) {
            Optional<Closeable> probe = bindName(i);
            if (probe.isEmpty()) {
                return true;
            }
            closeQuietly(probe.get());
        }
        return HostFileLock.isHeld(lockFile(i));
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing a socket that holds nothing more: nothing to report
        }
    }

    private boolean overLimitWith(int taken) {
        int heldAbove = 0;
        for (int i : existingSlots()) {
            if (i >= maxConcurrentSessions && isHeld(i)) {
                heldAbove++;
            }
        }
        if (heldAbove == 0) {
            return false;
        }
        int heldBelow = 0;
        for (int i = 0; i < maxConcurrentSessions; i++) {
            if (i != taken && isHeld(i)) {
                heldBelow++;
            }
        }
        return heldBelow + heldAbove + 1 > maxConcurrentSessions;
    }

    private Slot claim(int index, HolderInfo who, HostFileLock lock, Closeable name) {
        Path sidecar = sidecarFile(index);
        try {
            writeHolder(sidecar, who);
        } catch (IOException | RuntimeException e) {
            lock.close();
            closeQuietly(name);
            throw new UncheckedIOException("cannot record the holder of slot " + index + " in " + sidecar
                    + ": " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
        return new Slot(index, who, lock, sidecar, name);
    }

    private void writeHolder(Path sidecar, HolderInfo who) throws IOException {
        ObjectNode node = mapper.createObjectNode();
        node.put("session_id", who.sessionId());
        node.put("description", who.description());
        node.put("pid", who.pid());
        node.put("process_started_at", who.processStartedAt() == null ? null : who.processStartedAt().toString());
        node.put("since", who.since().toString());
        Path tmp = sidecar.resolveSibling(sidecar.getFileName() + "." + UUID.randomUUID() + ".tmp");
        PrivateFiles.write(tmp, mapper.writeValueAsBytes(node));
        Files.move(tmp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private HolderInfo readHolder(int index) {
        Path sidecar = sidecarFile(index);
        Instant now = clock.instant();
        try {
            JsonNode node = mapper.readTree(sidecar.toFile());
            return new HolderInfo(
                    node.path("session_id").asText("unknown"),
                    node.path("description").asText("slot " + index),
                    node.path("pid").asLong(-1),
                    parseInstant(node.path("process_started_at").asText(null)),
                    Optional.ofNullable(parseInstant(node.path("since").asText(null))).orElse(now));
        } catch (IOException | RuntimeException e) {
            // Held but not described: the holder is between lock and note, or the note was removed
            // (slots/ deleted under live sessions); the kernel still knows who binds the name.
            OptionalLong pid = namePrefix == null ? OptionalLong.empty()
                    : Optional.ofNullable(AbstractNames.bound(namePrefix + index).get(namePrefix + index))
                            .map(AbstractNames::holderOf).orElse(OptionalLong.empty());
            return new HolderInfo("unknown", "slot " + index + ", holder not recorded", pid.orElse(-1), null, now);
        }
    }

    private static Instant parseInstant(String text) {
        return text == null || text.isEmpty() ? null : Instant.parse(text);
    }

    private TreeSet<Integer> existingSlots() {
        TreeSet<Integer> slots = new TreeSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(slotsDir, "slot-*.lock")) {
            for (Path p : dir) {
                Matcher m = SLOT_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    slots.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (NoSuchFileException e) {
            // Removed under us: the names below still tell which slots are held.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the slot directory " + slotsDir, e);
        }
        if (namePrefix != null) {
            for (Map.Entry<String, Long> bound : AbstractNames.bound(namePrefix).entrySet()) {
                try {
                    slots.add(Integer.parseInt(bound.getKey().substring(namePrefix.length())));
                } catch (NumberFormatException notASlot) {
                    // a name that merely shares the prefix
                }
            }
        }
        return slots;
    }

    private Path lockFile(int i) {
        return slotsDir.resolve("slot-" + i + ".lock");
    }

    private Path sidecarFile(int i) {
        return slotsDir.resolve("slot-" + i + ".json");
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** 0700, and refused untouched when another user controls it (see {@link PrivateFiles#ensureDirectory}). */
    static void createPrivateDirectory(Path dir) {
        try {
            PrivateFiles.ensureDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
