package dev.acpx.thin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The thin client starts in a fraction of the full CLI because it loads nothing but the JDK and the
 * one wire class it shares with the daemon: no picocli, no Jackson, no other acpx class (its jar
 * holds nothing else, so anything more would fail at run time).
 */
class ThinShapeTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/acpx/thin");
    private static final Pattern NAME = Pattern.compile("\\b(dev\\.acpx\\.[\\w.]+|picocli|com\\.fasterxml)\\b");

    @Test
    void usesTheJdkAndTheWireOnly() throws Exception {
        List<String> offenders = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("//.*|^\\s*\\*.*|/\\*\\*.*", "");
                    Matcher m = NAME.matcher(code);
                    while (m.find()) {
                        String name = m.group(1);
                        // dev.acpx.cli.Main is loaded by name from the full jar, only when no daemon can be had.
                        if (!name.startsWith("dev.acpx.thin") && !name.startsWith("dev.acpx.api.CommandLineWire")
                                && !(name.equals("dev.acpx.cli.Main") && lines.get(i).contains("loadClass(\""))) {
                            offenders.add(file.getFileName() + ":" + (i + 1) + ": " + name);
                        }
                    }
                }
            }
        }
        assertTrue(files >= 3, "expected the thin client's sources under " + SOURCES.toAbsolutePath());
        assertEquals(List.of(), offenders);
    }
}
