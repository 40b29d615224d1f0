package dev.acpx.core.process;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds programs the way execvp does, so a missing agent is reported before anything is spawned. */
final class Executables {

    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private Executables() {
    }

    /** The file that {@code program} names: a path when it contains '/', otherwise a PATH lookup. */
    static Optional<Path> find(String program, String pathVariable, Path cwd) {
        try {
            if (program.contains("/")) {
                Path file = cwd.resolve(program);
                return isExecutableFile(file) ? Optional.of(file) : Optional.empty();
            }
            String path = pathVariable == null ? DEFAULT_PATH : pathVariable;
            for (String dir : path.split(":", -1)) {
                // An empty PATH entry means the working directory, as in every POSIX shell.
                Path candidate = (dir.isEmpty() ? cwd : cwd.resolve(dir)).resolve(program);
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    /** PATH as the child will see it. */
    static String childPath(Map<String, String> childEnvironment) {
        return childEnvironment.get("PATH");
    }
}
