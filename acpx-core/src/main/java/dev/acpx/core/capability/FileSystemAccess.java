package dev.acpx.core.capability;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Serves {@code fs/read_text_file} and {@code fs/write_text_file}: text files inside the session directory
 * only, symlinks followed before the check. Files are UTF-8; undecodable bytes read as U+FFFD.
 */
public final class FileSystemAccess {

    /** Reads return at most this many bytes of text; larger files need line/limit. */
    public static final long MAX_READ_BYTES = 16L * 1024 * 1024;

    private final SessionDirectory session;

    /** @throws IllegalArgumentException when {@code sessionCwd} is not an existing directory */
    public FileSystemAccess(Path sessionCwd) {
        this.session = new SessionDirectory(sessionCwd);
    }

    /** The real (symlink-free) session directory every path must resolve into. */
    public Path sessionDirectory() {
        return session.root();
    }

    /** Resolves {@code path} (absolute, or relative to the session directory) to a real path inside it. */
    public Path resolveInside(String path) throws CapabilityException {
        return session.resolveInside(path);
    }

    /**
     * Reads a text file, optionally from 1-based {@code line} for at most {@code limit} lines. Line
     * terminators are kept as they are in the file.
     */
    public String read(String path, Integer line, Integer limit) throws CapabilityException {
        if (line != null && line < 1) {
            throw CapabilityException.invalidParams("line must be 1 or more (lines are 1-based), got " + line);
        }
        if (limit != null && limit < 0) {
            throw CapabilityException.invalidParams("limit must not be negative, got " + limit);
        }
        Path file = resolveInside(path);
        BasicFileAttributes attrs = attributes(path, file);
        if (!attrs.isRegularFile()) {
            throw CapabilityException.invalidParams("refused: " + path + " is "
                    + (attrs.isDirectory() ? "a directory" : "not a regular file") + "; only text files can be read");
        }
        boolean whole = line == null && limit == null;
        if (whole && attrs.size() > MAX_READ_BYTES) {
            throw CapabilityException.invalidParams("refused: " + path + " is " + attrs.size() + " bytes, over the "
                    + MAX_READ_BYTES + "-byte read cap; read it in parts with line and limit");
        }
        // NOFOLLOW: the path was checked symlink-free; a link swapped in since then fails instead of escaping.
        try (Reader reader = Channels.newReader(
                Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS), decoder(), -1)) {
            return slice(reader, path, line == null ? 1 : line, limit == null ? Integer.MAX_VALUE : limit);
        } catch (NoSuchFileException e) {
            throw notFound(path);
        } catch (IOException e) {
            throw ioFailure("read", path, e);
        }
    }

    private static String slice(Reader reader, String path, int firstLine, int maxLines)
            throws IOException, CapabilityException {
        StringBuilder out = new StringBuilder();
        int current = 1;
        int taken = 0;
        char[] buf = new char[8192];
        int n;
        while (taken < maxLines && (n = reader.read(buf)) > 0) {
            int from = 0;
            for (int i = 0; i < n && taken < maxLines; i++) {
                if (buf[i] == '\n') {
                    if (current >= firstLine) {
                        out.append(buf, from, i + 1 - from);
                        taken++;
                    }
                    current++;
                    from = i + 1;
                }
            }
            if (taken < maxLines && current >= firstLine && from < n) {
                out.append(buf, from, n - from);
            }
            if (out.length() > MAX_READ_BYTES) {
                throw CapabilityException.invalidParams("refused: the requested part of " + path + " exceeds the "
                        + MAX_READ_BYTES + "-byte read cap; ask for fewer lines");
            }
        }
        return out.toString();
    }

    /** Writes {@code content} (UTF-8), creating missing parent directories, all inside the session directory. */
    public void write(String path, String content) throws CapabilityException {
        if (content == null) {
            throw CapabilityException.invalidParams("content is missing for " + path);
        }
        Path file = resolveInside(path);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw CapabilityException.invalidParams("refused: " + path + " exists and is not a regular file");
        }
        try {
            // The parent resolved inside the session directory, so every directory created here is inside too.
            Files.createDirectories(file.getParent());
            OpenOption[] options = {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS};
            try (var channel = Files.newByteChannel(file, options)) {
                var bytes = java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (IOException e) {
            throw ioFailure("write", path, e);
        }
    }

    private static BasicFileAttributes attributes(String path, Path file) throws CapabilityException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(path);
        } catch (IOException e) {
            throw ioFailure("read", path, e);
        }
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    private static CapabilityException notFound(String path) {
        return new CapabilityException(CapabilityException.RESOURCE_NOT_FOUND, "file not found: " + path);
    }

    private static CapabilityException ioFailure(String verb, String path, IOException e) {
        String reason = e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
        return new CapabilityException(CapabilityException.INTERNAL_ERROR, "cannot " + verb + " " + path + ": "
                + reason, e);
    }
}
