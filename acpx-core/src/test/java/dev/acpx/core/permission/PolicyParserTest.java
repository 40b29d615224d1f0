package dev.acpx.core.permission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --permission-policy} values: inline or file, trimmed lists, and the Node acpx's error messages. */
class PolicyParserTest {
    @TempDir
    Path cwd;

    private String error(String value) {
        AcpxException e = assertThrows(AcpxException.class, () -> PolicyParser.parse(value, cwd));
        assertEquals(ErrorKind.USAGE, e.kind());
        return e.getMessage();
    }

    @Test
    void readsInlineJsonAndFilesAndIgnoresOtherKeys() throws Exception {
        PermissionRules inline = PolicyParser.parse("  {\"autoApprove\":[\" Read \"],\"other\":1,"
                + "\"defaultAction\":\"escalate\"}  ", cwd);
        assertEquals(List.of("Read"), inline.autoApprove());
        assertEquals(PermissionRules.Action.ESCALATE, inline.defaultAction());
        Files.writeString(cwd.resolve("p.json"), "{\"autoDeny\":[\"*\"],\"escalate\":null}");
        PermissionRules file = PolicyParser.parse("p.json", cwd);
        assertEquals(List.of("*"), file.autoDeny());
        assertEquals(List.of(), file.escalate());
        assertEquals(null, file.defaultAction());
    }

    @Test
    void errorsAreWordedAsTheNodeAcpxWordsThem() throws Exception {
        String p = "Invalid permission policy: ";
        assertEquals(p + "--permission-policy: permission policy autoApprove must be an array of strings",
                error("{\"autoApprove\":\"x\"}"));
        assertEquals(p + "--permission-policy: permission policy escalate must be an array of strings",
                error("{\"escalate\":[1]}"));
        assertEquals(p + "--permission-policy: permission policy autoDeny must contain only non-empty strings",
                error("{\"autoDeny\":[\"\"]}"));
        assertEquals(p + "--permission-policy: permission policy defaultAction must be one of approve, deny, escalate",
                error("{\"defaultAction\":\"allow\"}"));
        Files.writeString(cwd.resolve("arr.json"), "[]");
        assertEquals(p + cwd.resolve("arr.json") + ": permission policy must be a JSON object", error("arr.json"));
        assertEquals(p + "ENOENT: no such file or directory, open '" + cwd.resolve("nope.json") + "'",
                error("nope.json"));
        assertTrue(error("{\"a\":").startsWith(p + "--permission-policy: "), error("{\"a\":"));
    }
}
