package dev.acpx.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Reads {@code ~/.acpx/config.json} and {@code <cwd>/.acpxrc.json} (only in cwd itself: the
 * Node acpx does not walk up for it). Missing files are fine; a malformed file is a
 * {@link ConfigException} naming the file, the line and column, and what to do.
 */
public final class ConfigLoader {
    /** The project config file name, looked up in the working directory only. */
    public static final String PROJECT_FILE = ".acpxrc.json";

    private final Path userHome;
    private final ObjectReader reader;

    public ConfigLoader(Path userHome, ObjectMapper mapper) {
        this.userHome = Objects.requireNonNull(userHome, "userHome").toAbsolutePath().normalize();
        // Trailing garbage after the object is an error in JSON.parse, so it is one here too.
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** {@code ~/.acpx/config.json}. */
    public Path globalPath() {
        return userHome.resolve(".acpx").resolve("config.json");
    }

    /** {@code <cwd>/.acpxrc.json}, cwd made absolute. */
    public Path projectPath(Path cwd) {
        return cwd.toAbsolutePath().normalize().resolve(PROJECT_FILE);
    }

    /** Both layers for a working directory; call {@link ConfigLayers#merged()} for the effective config. */
    public ConfigLayers load(Path cwd) {
        return new ConfigLayers(read(globalPath()), read(projectPath(cwd)));
    }

    /** The file as shown in messages: under the home it starts with {@code ~}. */
    public String label(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return absolute.startsWith(userHome) && !absolute.equals(userHome)
                ? "~/" + userHome.relativize(absolute) : absolute.toString();
    }

    private ConfigLayer read(Path file) {
        String label = label(file);
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            return ConfigLayer.absent(file, label);
        } catch (CharacterCodingException e) {
            throw new ConfigException(label + ": not valid UTF-8 text — fix or remove the file", e);
        } catch (IOException e) {
            throw new ConfigException(label + ": cannot read (" + describe(e)
                    + ") — check that it is a readable file, or remove it", e);
        }
        JsonNode root;
        try {
            root = reader.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new ConfigException(label + where + ": " + e.getOriginalMessage() + " — fix or remove the file", e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ConfigException(label + ": the file is empty, expected a JSON object — fix or remove the file");
        }
        if (!(root instanceof ObjectNode object)) {
            throw new ConfigException(label + ": expected a JSON object at the top level, found "
                    + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " — fix or remove the file");
        }
        return new ConfigFileParser(file, label).parse(object);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * The template {@code config init} writes: the Node acpx's (which says approve-all, unlike the
     * built-in default) plus our {@code maxConcurrentSessions}. Two-space JSON as JSON.stringify writes it.
     */
    public String renderTemplate() {
        return """
                {
                  "defaultAgent": "codex",
                  "defaultPermissions": "approve-all",
                  "nonInteractivePermissions": "deny",
                  "authPolicy": "skip",
                  "ttl": 300,
                  "timeout": null,
                  "queueMaxDepth": 16,
                  "format": "text",
                  "agents": {},
                  "auth": {},
                  "maxConcurrentSessions": null
                }
                """;
    }

    /** What {@link #initGlobal()} did. */
    public record InitResult(Path path, boolean created) {
    }

    /**
     * Writes the template to {@code ~/.acpx/config.json} unless a file is already there
     * (never overwrites, also when two callers race). Directory 0700, file 0600: it may hold credentials.
     */
    public InitResult initGlobal() {
        Path file = globalPath();
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                setPermissions(dir, "rwx------");
            }
            if (Files.exists(file)) {
                return new InitResult(file, false);
            }
            Path temp = Files.createTempFile(dir, ".config.json.", ".tmp");
            try {
                setPermissions(temp, "rw-------");
                Files.writeString(temp, renderTemplate(), StandardOpenOption.WRITE);
                try {
                    // A hard link publishes the complete file atomically and fails if one exists.
                    Files.createLink(file, temp);
                } catch (FileAlreadyExistsException e) {
                    return new InitResult(file, false);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return new InitResult(file, true);
        } catch (IOException e) {
            throw new ConfigException(label(file) + ": cannot create (" + describe(e)
                    + ") — check the permissions of " + label(file.getParent()), e);
        }
    }

    private static void setPermissions(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the platform's default protection applies.
        }
    }
}
