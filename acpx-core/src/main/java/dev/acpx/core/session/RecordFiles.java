package dev.acpx.core.session;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.core.lifecycle.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/** The on-disk form of one record: file naming, validation on read, durable atomic write. */
final class RecordFiles {

    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final String HEX = "0123456789ABCDEF";

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    RecordFiles(ObjectMapper mapper) {
        this.mapper = mapper;
        // Same layout as Node's JSON.stringify(v, null, 2): "key": value, arrays one item a line,
        // empty containers as [] and {}, LF line ends. Keeps files diff-friendly for both tools.
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(separators)
                .withObjectIndenter(indent)
                .withArrayIndenter(indent);
        this.writer = mapper.writer(printer);
    }

    /** Node's {@code encodeURIComponent(id) + ".json"}. */
    static String fileName(String recordId) {
        StringBuilder out = new StringBuilder();
        for (byte b : recordId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "-_.!~*'()".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HEX.charAt((b >> 4) & 0xf)).append(HEX.charAt(b & 0xf));
            }
        }
        return out.append(".json").toString();
    }

    /** The per-record lock file: the record's name with {@code .lock} for {@code .json}, so listings skip it. */
    static String lockName(String recordId) {
        String json = fileName(recordId);
        return json.substring(0, json.length() - ".json".length()) + ".lock";
    }

    /** Parses and checks one file; throws {@link CorruptRecordException} naming what is wrong. */
    SessionRecord read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (JacksonException e) {
            throw new CorruptRecordException(file, "not valid JSON (truncated or damaged): "
                    + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode json)) {
            throw new CorruptRecordException(file, tree == null || tree.isMissingNode()
                    ? "empty file" : "not a JSON object");
        }
        JsonNode schema = json.get("schema");
        if (schema == null || !SessionRecord.SCHEMA.equals(schema.asText(null))) {
            throw new CorruptRecordException(file, "schema is " + (schema == null ? "missing" : schema)
                    + ", expected \"" + SessionRecord.SCHEMA + "\"");
        }
        for (String key : new String[] {"acpx_record_id", "agent_command", "cwd"}) {
            JsonNode v = json.get(key);
            if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
                throw new CorruptRecordException(file, "\"" + key + "\" is missing or not a string");
            }
        }
        try {
            java.nio.file.Path.of(json.get("cwd").textValue());
        } catch (java.nio.file.InvalidPathException e) {
            // A NUL in cwd (found by fuzzing) loaded, then failed every scope lookup that touched it.
            throw new CorruptRecordException(file, "\"cwd\" is not a valid path: " + e.getReason());
        }
        String id = json.get("acpx_record_id").textValue();
        if (!file.getFileName().toString().equals(fileName(id))) {
            throw new CorruptRecordException(file, "file name does not match acpx_record_id \"" + id + "\"");
        }
        return new SessionRecord(json);
    }

    /**
     * Writes {@code <id>.json.<random>.tmp}, fsyncs it, renames it over the record, fsyncs the
     * directory: a crash leaves the old record or the new one, plus at worst a stray .tmp file.
     */
    void writeAtomically(Path dir, SessionRecord record) throws IOException {
        byte[] body = writer.writeValueAsBytes(record.json());
        ByteBuffer buf = ByteBuffer.allocate(body.length + 1).put(body).put((byte) '\n').flip();
        String name = fileName(record.acpxRecordId());
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PRIVATE_FILE)) {
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fsyncDirectory(dir);
    }

    /** 0700, and refused untouched when another user controls it (see {@link PrivateFiles#ensureDirectory}). */
    static void createPrivateDirectory(Path dir) throws IOException {
        PrivateFiles.ensureDirectory(dir);
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        // Makes the rename itself durable; Linux allows fsync on a directory opened read-only.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
