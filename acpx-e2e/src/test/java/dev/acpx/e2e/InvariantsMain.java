package dev.acpx.e2e;

import java.nio.file.Path;
import java.util.List;

/**
 * Command-line face of {@link Invariants} for scripts such as {@code bin/soak}: prints one
 * violation per line on stdout and exits 1 when there is any, 0 when there is none, 2 on misuse.
 */
public final class InvariantsMain {
    private InvariantsMain() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: InvariantsMain <home> <marker>  (home holds .acpx; marker is the ACPX_TEST_MARKER value)");
            System.exit(2);
        }
        List<String> found = Invariants.violations(Path.of(args[0]), args[1]);
        found.forEach(System.out::println);
        System.exit(found.isEmpty() ? 0 : 1);
    }
}
