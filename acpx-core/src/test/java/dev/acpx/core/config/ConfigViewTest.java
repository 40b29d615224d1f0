package dev.acpx.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigViewTest {
    @TempDir
    Path home;
    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void showHasNodeKeysInOrderAndMasksCredentials() throws IOException {
        Files.createDirectories(home.resolve(".acpx"));
        Files.writeString(home.resolve(".acpx/config.json"), """
                {"auth": {"zeta": "SECRET-1", "alpha": "SECRET-2"}, "ttl": 1.5,
                 "agents": {"a": {"command": "run me"}, "b": {"argv": ["b", "c"]}}, "maxConcurrentSessions": 3}
                """);
        ConfigLoader loader = new ConfigLoader(home, mapper);
        ObjectNode view = ConfigView.show(loader.load(home), mapper);
        List<String> keys = new java.util.ArrayList<>();
        view.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("defaultAgent", "defaultPermissions", "nonInteractivePermissions", "authPolicy", "ttl",
                "timeout", "queueMaxDepth", "format", "agents", "authMethods", "disableExec",
                "paths", "loaded", "maxConcurrentSessions"), keys);
        String text = view.toString();
        assertFalse(text.contains("SECRET"), text);
        assertEquals("[\"alpha\",\"zeta\"]", view.get("authMethods").toString());
        assertEquals(1.5, view.get("ttl").asDouble());
        assertTrue(view.get("timeout").isNull());
        assertEquals("{\"a\":{\"command\":\"run me\"},\"b\":{\"argv\":[\"b\",\"c\"]}}", view.get("agents").toString());
        assertEquals(3, view.get("maxConcurrentSessions").asInt());
        assertTrue(view.get("loaded").get("global").asBoolean());
        assertFalse(view.get("loaded").get("project").asBoolean());
        assertEquals(home.resolve(".acpx/config.json").toString(), view.get("paths").get("global").asText());
    }

    @Test
    void defaultTtlPrintsAsInteger() {
        ObjectNode view = ConfigView.show(new ConfigLoader(home, mapper).load(home), mapper);
        assertEquals("300", view.get("ttl").toString());
    }

    @Test
    void templateIsValidAndLoadsBack() throws IOException {
        ConfigLoader loader = new ConfigLoader(home, mapper);
        JsonNode template = mapper.readTree(loader.renderTemplate());
        assertEquals("approve-all", template.get("defaultPermissions").asText());
        assertTrue(template.has("maxConcurrentSessions"));
        assertTrue(loader.renderTemplate().contains("\n  \"agents\": {},\n"), "JSON.stringify(_, null, 2) layout");

        ConfigLoader.InitResult first = loader.initGlobal();
        assertTrue(first.created());
        assertEquals(loader.renderTemplate(), Files.readString(first.path()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.path())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.path().getParent())));
        AcpxConfig loaded = loader.load(home).merged();
        assertEquals(PermissionMode.APPROVE_ALL, loaded.defaultPermissions());

        Files.writeString(first.path(), "{\"defaultAgent\": \"pi\"}");
        ConfigLoader.InitResult second = loader.initGlobal();
        assertFalse(second.created());
        assertEquals("{\"defaultAgent\": \"pi\"}", Files.readString(first.path()), "never overwrites");
        try (var files = Files.list(first.path().getParent())) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }
}
