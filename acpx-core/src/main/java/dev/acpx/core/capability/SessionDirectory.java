package dev.acpx.core.capability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The session's working directory as a boundary: resolves what an agent names to a real path (symlinks
 * followed) and refuses anything that lands outside it, or in the kernel's pseudo file systems.
 */
final class SessionDirectory {

    // Even inside a session rooted at "/", these expose secrets (/proc/self/environ) or devices.
    private static final Path[] PSEUDO = {Path.of("/proc"), Path.of("/sys"), Path.of("/dev")};

    private final Path root;

    SessionDirectory(Path sessionCwd) {
        try {
            this.root = sessionCwd.toAbsolutePath().toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("session directory " + sessionCwd + " does not exist: "
                    + e.getMessage(), e);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("session directory " + sessionCwd + " is not a directory");
        }
    }

    Path root() {
        return root;
    }

    /**
     * The real path {@code path} names. ACP wants absolute paths; relative ones are taken relative to the
     * session directory. The existing part is resolved with toRealPath (so symlinks anywhere, the parent of
     * a new file included, are followed); the missing rest cannot hold symlinks and is appended normalized.
     */
    Path resolveInside(String path) throws CapabilityException {
        if (path == null || path.isEmpty()) {
            throw CapabilityException.invalidParams("path is missing: give an absolute path inside the session "
                    + "directory " + root);
        }
        Path given;
        try {
            given = root.resolve(path);
        } catch (InvalidPathException e) {
            throw CapabilityException.invalidParams("refused: " + path + " is not a valid path (" + e.getReason()
                    + ")");
        }
        Path real = realPath(path, given);
        if (!real.startsWith(root)) {
            throw refusal(path, real, "is outside the session directory " + root);
        }
        for (Path pseudo : PSEUDO) {
            if (real.startsWith(pseudo)) {
                throw refusal(path, real, "is in " + pseudo + ", which acpx never serves");
            }
        }
        return real;
    }

    private static Path realPath(String original, Path given) throws CapabilityException {
        Path existing = given;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            // Only "/" has no parent, and it always exists; stay defensive anyway.
            throw CapabilityException.invalidParams("refused: " + original + " cannot be resolved");
        }
        Path realExisting;
        try {
            realExisting = existing.toRealPath();
        } catch (IOException e) {
            // A dangling symlink: its target is unknown territory, so it is never followed.
            throw CapabilityException.invalidParams("refused: " + original + " goes through " + existing
                    + ", a symbolic link whose target does not exist");
        }
        return rest == null ? realExisting : realExisting.resolve(rest).normalize();
    }

    private static CapabilityException refusal(String original, Path real, String why) {
        String shown = Path.of(original).isAbsolute() && Path.of(original).normalize().equals(real)
                ? original : original + " (resolves to " + real + ")";
        return CapabilityException.invalidParams("refused: " + shown + " " + why);
    }
}
