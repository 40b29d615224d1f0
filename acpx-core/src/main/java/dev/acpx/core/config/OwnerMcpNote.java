package dev.acpx.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Which {@code --mcp-config} a running queue owner took its MCP servers from (SPEC-P2 §7): the
 * owner writes {@code queue/<record id>.mcp.json} when it opens its session ({@code path} and
 * {@code fingerprint}, both null without {@code --mcp-config}, as the Node acpx keeps them in its
 * lease), and a prompt whose own path or fingerprint differ is refused instead of silently
 * running with another server list.
 *
 * @param path        the absolute {@code --mcp-config} file, or null
 * @param fingerprint sha256 of its parsed server list, or null
 */
public record OwnerMcpNote(String path, String fingerprint) {
    public static final String CONFLICT =
            "Session queue owner uses a different MCP config; close the session before retrying";

    /** The note of a caller or owner with this {@code --mcp-config} (null: none). */
    public static OwnerMcpNote of(McpConfigFile file) {
        return file == null ? new OwnerMcpNote(null, null)
                : new OwnerMcpNote(file.path().toString(), file.fingerprint());
    }

    static Path file(Path acpxHome, String recordId) {
        return acpxHome.resolve("queue").resolve(recordId + ".mcp.json");
    }

    /** Written by the owner (atomically: a caller never reads half a note). */
    public void write(Path acpxHome, String recordId, ObjectMapper mapper) {
        Path target = file(acpxHome, recordId);
        try {
            ObjectNode node = mapper.createObjectNode().put("path", path).put("fingerprint", fingerprint);
            Path temp = Files.createTempFile(target.getParent(), ".mcp.", ".tmp");
            Files.writeString(temp, node.toString());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // without a note callers cannot tell a conflict; the owner still serves its own list
        }
    }

    /** Refuses a caller whose note differs from the running owner's; no note (an older owner): no check. */
    public static void check(Path acpxHome, String recordId, OwnerMcpNote caller, ObjectMapper mapper) {
        JsonNode owner;
        try {
            owner = mapper.readTree(Files.readString(file(acpxHome, recordId)));
        } catch (IOException e) {
            return;
        }
        OwnerMcpNote running = new OwnerMcpNote(owner.path("path").textValue(), owner.path("fingerprint").textValue());
        if (!Objects.equals(running, caller)) {
            throw new AcpxException(ErrorKind.RUNTIME, CONFLICT);
        }
    }
}
