package dev.acpx.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of acpx-core, read from its sources: {@code dev.acpx.api} depends on nothing but the
 * JDK (no Jackson, no {@code dev.acpx.core}), and no two packages depend on each other, directly or
 * through others. A dependency is any mention of another package's class in code (an import or a
 * qualified name), comments and strings left out.
 */
class PackageShapeTest {
    private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("src/main/java22"));
    private static final Pattern REFERENCE = Pattern.compile("\\b((?:dev\\.acpx|com\\.fasterxml)(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");

    @Test
    void theApiNamesNothingButTheJdkAndItself() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertTrue(deps.containsKey("dev.acpx.api"), "no dev.acpx.api sources found under " + ROOTS);
        Set<String> foreign = new TreeSet<>(deps.get("dev.acpx.api"));
        assertEquals(Set.of(), foreign, "dev.acpx.api must depend on the JDK only");
    }

    @Test
    void theFlowApiNamesNothingButTheJdkAndTheApi() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertTrue(deps.containsKey("dev.acpx.api.flow"), "no dev.acpx.api.flow sources found under " + ROOTS);
        Set<String> foreign = new TreeSet<>(deps.get("dev.acpx.api.flow"));
        foreign.remove("dev.acpx.api");
        assertEquals(Set.of(), foreign, "dev.acpx.api.flow must depend on the JDK and dev.acpx.api only");
    }

    @Test
    void noPackageCycle() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertTrue(deps.size() > 10, "expected acpx-core's packages, found " + deps.keySet());
        List<String> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            // A package is in a cycle when it can reach itself.
            Set<String> seen = new TreeSet<>();
            List<String> path = new ArrayList<>();
            if (reaches(deps, start, start, seen, path)) {
                cycles.add(start + " -> " + String.join(" -> ", path));
            }
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    @Test
    void theScanSeesImportsAndQualifiedNamesButNotComments() {
        assertEquals(Set.of("dev.acpx.core.engine.agent"), references("import dev.acpx.core.engine.agent.AgentSession;"));
        assertEquals(Set.of("com.fasterxml.jackson.databind"),
                references("var m = new com.fasterxml.jackson.databind.ObjectMapper();"));
        assertEquals(Set.of(), references("// see dev.acpx.core.engine.agent.AgentSession\n/** {@link dev.acpx.core.X} */"));
        assertEquals(Set.of(), references("String s = \"dev.acpx.core.os.LinuxKernel\";"));
    }

    private static boolean reaches(Map<String, Set<String>> deps, String from, String target, Set<String> seen,
                                   List<String> path) {
        for (String next : deps.getOrDefault(from, Set.of())) {
            path.add(next);
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next) && reaches(deps, next, target, seen, path)) {
                return true;
            }
            path.removeLast();
        }
        return false;
    }

    /** Package -> the other acpx and Jackson packages its classes name. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                    if (file.getFileName().toString().equals("module-info.java")) {
                        continue;
                    }
                    String pkg = root.relativize(file.getParent()).toString().replace('/', '.');
                    Set<String> mine = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                    for (String other : references(Files.readString(file))) {
                        if (!other.equals(pkg)) {
                            mine.add(other);
                        }
                    }
                }
            }
        }
        return deps;
    }

    private static Set<String> references(String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
        Set<String> found = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
