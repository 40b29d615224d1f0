package dev.acpx.core.session;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The directories a prompt's session lookup visits, nearest first (SPEC §3). */
final class ScopeWalk {

    private ScopeWalk() {}

    /**
     * cwd, then each parent up to and including the nearest directory holding a {@code .git}
     * (directory, or file as in worktrees and submodules); just cwd when no parent has one.
     */
    static List<String> directories(Path cwd) {
        Path start = cwd.toAbsolutePath().normalize();
        List<String> walk = new ArrayList<>();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            walk.add(dir.toString());
            if (Files.exists(dir.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                return walk;
            }
        }
        return List.of(start.toString());
    }
}
