package dev.acpx.core.permission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.PermissionRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code --permission-policy} / {@code --policy}: inline JSON, or a file. Every error is a
 * usage error worded as the Node acpx 0.19.1 words it (SPEC-P2 §6), so scripts that match them work.
 */
public final class PolicyParser {
    static final String PREFIX = "Invalid permission policy: ";
    static final String INLINE = "--permission-policy";

    private PolicyParser() {}

    public static PermissionRules parse(String flagValue, Path cwd) {
        String value = flagValue == null ? "" : flagValue.trim();
        String source;
        String text;
        if (value.startsWith("{")) {
            source = INLINE;
            text = value;
        } else {
            Path file = cwd.resolve(value).toAbsolutePath().normalize();
            source = file.toString();
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw invalid("ENOENT: no such file or directory, open '" + file + "'");
            } catch (IOException e) {
                throw invalid("cannot read " + file + ": " + e.getMessage());
            }
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid(source + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid(source + ": permission policy must be a JSON object");
        }
        List<String> approve = list(root, "autoApprove", source);
        List<String> deny = list(root, "autoDeny", source);
        List<String> escalate = list(root, "escalate", source);
        PermissionRules.Action defaultAction = null;
        JsonNode action = root.get("defaultAction");
        if (action != null && !action.isNull()) {
            defaultAction = (action.isTextual() ? PermissionRules.Action.fromWire(action.asText().trim()) :
                    java.util.Optional.<PermissionRules.Action>empty()).orElseThrow(() -> invalid(source
                    + ": permission policy defaultAction must be one of approve, deny, escalate"));
        }
        return new PermissionRules(approve, deny, escalate, defaultAction);
    }

    private static List<String> list(JsonNode root, String field, String source) {
        JsonNode node = root.get(field);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw invalid(source + ": permission policy " + field + " must be an array of strings");
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw invalid(source + ": permission policy " + field + " must be an array of strings");
            }
            if (item.asText().isBlank()) {
                throw invalid(source + ": permission policy " + field + " must contain only non-empty strings");
            }
            out.add(item.asText().trim());
        }
        return out;
    }

    private static AcpxException invalid(String message) {
        return AcpxException.usage(PREFIX + message);
    }
}
