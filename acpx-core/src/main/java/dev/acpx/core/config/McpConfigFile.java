package dev.acpx.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.acpx.core.options.McpServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code --mcp-config PATH} (SPEC-P2 §7): a JSON file whose {@code mcpServers} member (required;
 * other members ignored) replaces the config files' list. The path is resolved against the cwd.
 *
 * @param path        the absolute file
 * @param servers     the list as ACP sends it
 * @param fingerprint sha256 of the list, how a queue owner tells another caller's list from its own
 */
public record McpConfigFile(Path path, ArrayNode servers, String fingerprint) {

    public static McpConfigFile load(Path cwd, String configured, ObjectMapper mapper) {
        Path file = cwd.resolve(configured).toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("MCP config file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("MCP config file " + file + ": cannot read (" + e.getMessage()
                    + ") — check its permissions");
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException("MCP config file " + file + ": " + e.getOriginalMessage()
                    + " — fix the JSON");
        }
        JsonNode list = root != null && root.isObject() ? root.get("mcpServers") : null;
        ArrayNode servers;
        try {
            servers = McpServers.parse(list, file.toString());
        } catch (McpServers.InvalidException e) {
            throw new ConfigException(e.getMessage());
        }
        return new McpConfigFile(file, servers, fingerprint(servers));
    }

    static String fingerprint(ArrayNode servers) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(servers.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
