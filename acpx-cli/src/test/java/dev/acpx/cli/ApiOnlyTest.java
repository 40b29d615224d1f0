package dev.acpx.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SPEC §10 and DESIGN's layering rule: the CLI uses nothing but the runtime API. Any mention of a
 * {@code dev.acpx.core} class in the CLI's sources (an import, a static import, or a fully
 * qualified name in code) fails this test.
 */
class ApiOnlyTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern CORE = Pattern.compile("\\bdev\\s*\\.\\s*acpx\\s*\\.\\s*core\\b");

    @Test
    void cliSourcesNeverNameACoreClass() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the acpx-cli module; no " + SOURCES.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String code = withoutComment(lines.get(i));
                    Matcher m = CORE.matcher(code);
                    if (m.find()) {
                        offenders.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(files > 10, "expected the CLI's sources under " + SOURCES.toAbsolutePath() + ", found " + files);
        assertTrue(offenders.isEmpty(), "the CLI must use only dev.acpx.api, but names dev.acpx.core in:\n"
                + String.join("\n", offenders));
    }

    @Test
    void theScanSeesImportsAndQualifiedNames() {
        assertTrue(CORE.matcher(withoutComment("import dev.acpx.core.engine.AgentSession;")).find());
        assertTrue(CORE.matcher(withoutComment("import static dev.acpx.core.x.Y.z;")).find());
        assertTrue(CORE.matcher(withoutComment("var s = new dev.acpx.core.session.SessionStore(a, b, c);")).find());
        assertFalse(CORE.matcher(withoutComment("import dev.acpx.api.AcpxRuntime; // not dev.acpx.core")).find());
        assertFalse(CORE.matcher(withoutComment("import dev.acpx.corelike.Thing;")).find());
    }

    /** Drops a trailing line comment (good enough for import lines and code; strings are rare here). */
    private static String withoutComment(String line) {
        int at = line.indexOf("//");
        String code = at >= 0 ? line.substring(0, at) : line;
        return code.strip().startsWith("*") ? "" : code;
    }
}
