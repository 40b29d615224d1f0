package dev.acpx.core.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.lifecycle.HostFileLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code ~/.acpx/flows/runs}: one directory per run in the Node acpx's layout (SPEC-P2 §5.4),
 * directories 0700 and files 0600, JSON files replaced atomically (temp file, fsync, rename) so a
 * killed run leaves the last state whole. A run's {@code run.lock} (an OS lock, gone with its holder)
 * tells a live run from one whose process died.
 */
final class RunStore {
    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmssSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path root;
    private final ObjectMapper mapper;
    private final Clock clock;

    RunStore(Path userHome, ObjectMapper mapper, Clock clock) {
        this.root = userHome.resolve(".acpx").resolve("flows").resolve("runs");
        this.mapper = mapper;
        this.clock = clock;
    }

    Path root() {
        return root;
    }

    /** {@code <ISO time without ':' and '.'>-<slug(name)>-<8 hex>}, as the Node acpx names runs. */
    String newRunId(String flowName) {
        return RUN_TIME.format(clock.instant()) + "-" + slug(flowName) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String slug(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 48) {
            s = s.substring(0, 48).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "flow" : s;
    }

    Path runDir(String runId) {
        if (runId == null || !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        return root.resolve(runId);
    }

    /** Creates the run's directories; fails when the run exists. */
    Path create(String runId) {
        Path dir = runDir(runId);
        try {
            privateDir(root.getParent().getParent());
            privateDir(root.getParent());
            privateDir(root);
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            privateDir(dir.resolve("projections"));
            privateDir(dir.resolve("artifacts"));
            privateDir(dir.resolve("sessions"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    static void privateDir(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // already there
        }
    }

    /** The run's lock, held by the process running it; empty when another live process holds it. */
    Optional<HostFileLock> tryLock(Path runDir) {
        return HostFileLock.tryLock(runDir.resolve("run.lock"));
    }

    List<Path> runDirs() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(root)) {
            return new ArrayList<>(list.filter(Files::isDirectory).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code rel} with {@code value} as JSON: temp file, fsync, atomic rename. */
    void writeJson(Path runDir, String rel, Object value) {
        try {
            write(runDir.resolve(rel), mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(rel) + ": " + e.getMessage(), e);
        }
    }

    static void write(Path target, byte[] body) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(body);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Appends one JSON line (trace, session events); lines are written whole with O_APPEND. */
    void appendLine(Path file, Object value) {
        try {
            byte[] line = (mapper.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores {@code content} under its SHA-256 once; returns {@code artifacts/sha256-<hex>.<ext>}. */
    String artifact(Path runDir, String content, String ext) {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        String rel = "artifacts/sha256-" + sha256(body) + "." + ext;
        Path file = runDir.resolve(rel);
        try {
            if (!Files.exists(file)) {
                write(file, body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return rel;
    }

    <T> Optional<T> readJson(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readValue(file.toFile(), type));
        } catch (IOException e) {
            return Optional.empty(); // a half-written or foreign file: the caller treats the run as unreadable
        }
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha1Prefix(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
